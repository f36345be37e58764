// RoomOrdering: the one seam between a hub shard and whoever numbers a
// room's messages. The shard checks what it can alone (membership, room
// limits, a nick held here, the plugins) and hands the rest to the room's
// ordering: LocalOrdering numbers the room itself (the in-memory bus, or a
// shared room while Redis is unreachable); SharedOrdering hands it to the
// bus and delivers what comes back in the bus' order (docs/scaling.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "chat/hub_commands.h"
#include "chat/session_ref.h"
#include "util/clock.h"

namespace chatd::chat {

class Room;
struct Member;

// A join the shard accepted so far: `command.nick` is the nick it joins
// under (the hub's guest-<n> when the session named none), free in this room.
struct JoinRequest {
    JoinCommand command;
    std::string old_nick;  // a member joining its room again (maybe renamed); empty for a newcomer
    bool guest = false;    // the hub picked the nick
};

// A member's rename to a nick other than its own.
struct RenameRequest {
    SessionRef who;
    std::string nick;
    std::string old_nick;
    std::optional<std::string> request_id;
};

// A member's message, after the plugins.
struct MemberMessage {
    const Member& member;
    std::string text;
    std::optional<std::string> request_id;
    util::SteadyTime started;  // when the shard took it (fan-out latency)
};

// A plugin's or the operator's message, after the plugins that judge it.
struct PostedMessage {
    std::string from;
    std::string text;
    std::string_view origin;   // "plugin" or "admin" (protocol::message_origin)
    util::SteadyTime started;  // when the shard took it
};

class RoomOrdering {
public:
    virtual ~RoomOrdering() = default;
    virtual void join(Room& room, JoinRequest request) = 0;
    virtual void rename(Room& room, RenameRequest request) = 0;
    virtual void publish(Room& room, MemberMessage message) = 0;
    // A post: numbered and delivered like a member's message, nobody to answer.
    virtual void post(Room& room, PostedMessage message) = 0;
    // Answers a `history` request of a member.
    virtual void history(Room& room, const HistoryCommand& request) = 0;
    // `who` (whose nick was `nick`) is no longer a member of `room`;
    // `reason` ("kicked", or "" for none) goes with the leave's presence.
    virtual void left(Room& room, const SessionRef& who, const std::string& nick, std::string_view reason = {}) = 0;
};

}  // namespace chatd::chat
