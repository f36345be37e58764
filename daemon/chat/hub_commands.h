// What sessions ask of the hub, and what the bus reports. Each command is
// executed by the shard that owns the room it names, in the order one IO loop
// (or the bus thread) posted them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "bus/bus.h"
#include "chat/pending_commands.h"
#include "chat/session_ref.h"
#include "net/shared_frame.h"
#include "protocol/requests.h"
#include "util/clock.h"

namespace chatd::chat {

struct JoinCommand {
    SessionRef who;
    std::string room;
    std::string nick;  // empty: the hub picks guest-<n>
    std::optional<protocol::Since> since;
    std::optional<std::string> request_id;
    std::uint64_t serial = 0;  // the session's number for this join, echoed in its answer
};

struct MessageCommand {
    SessionRef who;
    std::string room;
    std::string text;
    std::optional<std::string> request_id;
    PendingTicket pending{};  // the session's backpressure count (pending_commands.h)
};

struct NickCommand {
    SessionRef who;
    std::string room;
    std::string nick;
    std::optional<std::string> request_id;
};

// A page of the room's older messages (the `history` request).
struct HistoryCommand {
    SessionRef who;
    std::string room;
    std::optional<std::uint64_t> before;  // seq; absent: the newest
    std::size_t limit = 0;
    std::optional<std::string> request_id;
};

// A page of the room's member list (the `users` request).
struct UsersCommand {
    SessionRef who;
    std::string room;
    std::optional<std::string> after;  // absent: from the first nick
    std::size_t limit = 0;
    std::optional<std::string> request_id;
};

struct LeaveCommand {
    SessionRef who;
    std::string room;
    bool banned = false;  // its connection was closed by a ban (4003): the leave's presence reason is "banned"
};

// Who posted a message no member sent (shown as `origin`).
enum class PostOrigin : std::uint8_t { Plugin, Admin };

// A message a plugin or the operator posts into `room` (any thread may
// submit it). It passes the plugins after `plugin` (all of them when empty),
// is numbered, kept and broadcast like a member's message, with `origin`.
// `from` must be nick-shaped (protocol::isValidNick) but is not a member's
// nick: it need not be free in the room, and nobody holds it.
struct PostCommand {
    std::string room;
    std::string from;
    std::string text;
    PostOrigin origin = PostOrigin::Plugin;
    std::string plugin;  // the posting plugin's instance name; "" for the operator
};

// Removes session `session_id` from `room` (nothing when it is not a member
// there any more): the room sees a leave with reason "kicked", the session
// gets a `kicked` event naming `by` and is in no room afterwards.
struct KickCommand {
    std::uint64_t session_id = 0;
    std::string room;
    std::string reason;
    std::string by;
    bool banned = false;  // a room ban: the leave's presence reason is "banned"
};

// The message store kept (or could not keep) a message a shard numbered:
// only now is it delivered (message_store.h).
struct StoredCommand {
    std::string room;
    std::string epoch;
    std::uint64_t seq = 0;
    std::uint64_t generation = 0;  // the room's numbering generation when it was numbered
    net::SharedFrame json;
    net::SharedFrame raw;
    std::optional<SessionRef> sender;  // told when it could not be kept
    std::optional<std::string> request_id;
    util::SteadyTime started;
    bool kept = false;
    std::string error;
};

// Something the bus reports about a shared room (boxed: rare next to messages).
struct BusEventCommand {
    std::string room;
    std::unique_ptr<bus::RoomEvent> event;
};

// The bus started (true) or stopped (false) sharing rooms; sent to every shard.
struct BusStateCommand {
    bool sharing = false;
};

// Kicks the member holding `nick` in `room`: a member on this instance at
// once (as KickCommand); otherwise, when the Redis bus shares the room, the
// instance holding the nick does it (bus::KickRequest). Nobody: nothing.
struct KickNickCommand {
    std::string room;
    std::string nick;
    std::string reason;
    std::string by;
};

using HubCommand = std::variant<JoinCommand, MessageCommand, NickCommand, HistoryCommand, UsersCommand, LeaveCommand,
                                StoredCommand, BusEventCommand, BusStateCommand, PostCommand, KickCommand,
                                KickNickCommand>;

}  // namespace chatd::chat
