// chatd.v1 server -> client events: the plain data each encoder takes, and
// the error codes of the wire contract. Views point at caller-owned strings
// that must outlive the encode call only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace chatd::protocol {

// Error codes sent in {"type":"error","code":...}.
namespace error_code {
inline constexpr std::string_view kBadRequest = "bad_request";
inline constexpr std::string_view kTooLarge = "too_large";
inline constexpr std::string_view kRateLimited = "rate_limited";
inline constexpr std::string_view kRejected = "rejected";
inline constexpr std::string_view kNickTaken = "nick_taken";
inline constexpr std::string_view kInvalidNick = "invalid_nick";
inline constexpr std::string_view kInvalidRoom = "invalid_room";
// 1.1: a plugin's admission verdict refused the join.
inline constexpr std::string_view kForbidden = "forbidden";
// 1.1: moderation: a join refused by a ban, a message refused by a mute.
inline constexpr std::string_view kBanned = "banned";
inline constexpr std::string_view kMuted = "muted";
}  // namespace error_code

// Presence events sent in {"type":"presence","event":...}.
namespace presence_event {
inline constexpr std::string_view kJoin = "join";
inline constexpr std::string_view kLeave = "leave";
inline constexpr std::string_view kNick = "nick";
inline constexpr std::string_view kBatch = "batch";  // 1.1
}  // namespace presence_event

// 1.1: why a `leave` happened, sent as the presence `reason` (absent otherwise).
namespace leave_reason {
inline constexpr std::string_view kKicked = "kicked";
inline constexpr std::string_view kBanned = "banned";
}  // namespace leave_reason

// 1.1: who posted a message that no member sent, sent as `origin`.
namespace message_origin {
inline constexpr std::string_view kPlugin = "plugin";
inline constexpr std::string_view kAdmin = "admin";
}  // namespace message_origin

// One chat message as broadcast to the room (and kept in its history).
// A request id as the encoders take it: a view of `id`, or none.
inline std::optional<std::string_view> optionalView(const std::optional<std::string>& id) {
    if (id) return std::string_view(*id);
    return std::nullopt;
}

struct ChatMessage {
    std::string_view room;
    std::string_view epoch;
    std::uint64_t seq = 0;
    std::int64_t ts_ms = 0;  // server time, ms since the Unix epoch
    std::string_view from;
    std::string_view text;
    std::optional<std::string_view> id;  // the sender's id, echoed when present
    std::string_view origin;             // "" (a member), "plugin" or "admin" (a post)
};

// The answer to a join.
struct Welcome {
    std::string_view session;
    std::string_view nick;
    std::string_view room;
    std::string_view epoch;
    std::uint64_t seq = 0;  // the room's last sequence number
    std::span<const std::string> users;
    // Already-encoded message objects (encodeMessage output), oldest first,
    // spliced verbatim into "history".
    std::span<const std::string_view> history_json;
    bool recovered = false;
    std::size_t max_text_bytes = 0;  // addition to v1: the web client's counter
    // 1.1: the room's member count, and whether `users` lists all of them.
    std::size_t count = 0;
    bool users_complete = true;
};

// 1.1: a member's rename as a presence `batch` lists it.
struct NickChange {
    std::string old_nick;
    std::string nick;
    friend bool operator==(const NickChange&, const NickChange&) = default;
};

// 1.1: the joins, leaves and renames of one interval in a big room
// ({"type":"presence","event":"batch",...}).
struct PresenceBatch {
    std::string_view room;
    std::span<const std::string> joined;  // at most 50
    std::span<const std::string> left;    // at most 50
    std::span<const NickChange> renamed;  // at most 50
    std::size_t joined_count = 0;         // how many `joined` would list without the cap
    std::size_t left_count = 0;
    std::size_t count = 0;  // the room's members after them
};

// 1.1: one page of a room's member list (the answer to `users`).
struct UsersPage {
    std::string_view room;
    std::span<const std::string> users;
    std::optional<std::string_view> next;  // pass as `after` for the following page
    std::size_t count = 0;
    std::optional<std::string_view> id;
};

}  // namespace chatd::protocol
