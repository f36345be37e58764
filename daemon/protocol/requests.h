// chatd.v1 client -> server requests, as decoded from one JSON text frame.
//
//   {"type":"join", "room"?:str, "nick"?:str, "since"?:{"epoch":str,"seq":uint}, "id"?:str}
//       Enter a room (default room when "room" is absent) under a nick (the
//       server picks guest-<n> when absent). "since" asks for the messages
//       after that position. A second join switches rooms.
//   {"type":"message", "text":str, "id"?:str}
//       Post to the current room; "text" must be a non-empty string. The
//       size limit (max_text_bytes -> too_large) is the chat layer's check.
//   {"type":"nick", "nick":str, "id"?:str}
//       Change nick.
//   {"type":"history", "before"?:uint, "limit"?:uint 1-100, "id"?:str}
//       Older messages of the current room and epoch: up to "limit" (50)
//       messages with seq < "before" (the newest when absent).
//   {"type":"users", "after"?:str, "limit"?:uint 1-1000, "id"?:str}
//       One page of the current room's member list: up to "limit" (200)
//       nicks after "after" in case-insensitive order (from the first when absent).
//
// Every request may carry "id": a string of at most 64 Unicode code points,
// echoed in the answer. Unknown fields are ignored. An optional field that is
// null counts as absent. "seq" must be written as a plain integer literal
// (digits only, <= 2^53). Nick and room rules are in names.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace chatd::protocol {

// A position in a room's history: the messages after `seq` of `epoch`.
struct Since {
    std::string epoch;
    std::uint64_t seq = 0;
    friend bool operator==(const Since&, const Since&) = default;
};

struct JoinRequest {
    std::optional<std::string> room;  // validated by isValidRoom
    std::optional<std::string> nick;  // validated by isValidNick
    std::optional<Since> since;
};

struct MessageRequest {
    std::string text;  // never empty
};

struct NickRequest {
    std::string nick;  // validated by isValidNick
};

struct HistoryRequest {
    static constexpr std::size_t kDefaultLimit = 50;
    static constexpr std::size_t kMaxLimit = 100;
    std::optional<std::uint64_t> before;  // seq; absent: the newest messages
    std::size_t limit = kDefaultLimit;    // 1..kMaxLimit
};

struct UsersRequest {
    static constexpr std::size_t kDefaultLimit = 200;
    static constexpr std::size_t kMaxLimit = 1000;
    std::optional<std::string> after;  // any string: the page starts after it (folded order)
    std::size_t limit = kDefaultLimit;  // 1..kMaxLimit
};

using Request = std::variant<JoinRequest, MessageRequest, NickRequest, HistoryRequest, UsersRequest>;

}  // namespace chatd::protocol
