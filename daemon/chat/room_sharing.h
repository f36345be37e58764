// RoomSharing: what a hub shard keeps about a room that the Redis bus shares
// with other instances: where this instance stands in the room's shared
// order, and the claims (joins, renames) Redis has not answered yet. Unused
// with the in-memory bus (every room stays Ordering::Local).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bus/bus.h"
#include "chat/session_ref.h"
#include "protocol/requests.h"

namespace chatd::chat {

// Who numbers the room's messages right now (docs/scaling.md).
enum class Ordering : std::uint8_t {
    Local,    // this shard: the in-memory bus, or a shared room while Redis is unreachable
    Syncing,  // the bus, but this instance waits for the sync point that places it in the order
    Shared,   // the bus: messages arrive from the subscription in the room's order
};

// A message its sender wrote before its join was granted.
struct HeldMessage {
    std::string text;
    std::optional<std::string> request_id;
};

// A join waiting for its sync point (or a refusal).
struct PendingJoin {
    SessionRef who;
    std::string nick;
    std::string old_nick;  // a member joining again (maybe renamed); empty for a newcomer
    bool guest = false;    // the hub picked the nick: pick another when it is taken elsewhere
    unsigned attempts = 1;
    std::optional<protocol::Since> since;
    std::optional<std::string> request_id;
    std::vector<HeldMessage> held;
    std::uint64_t serial = 0;  // JoinCommand::serial, echoed to the session
};

// A rename waiting for Redis' answer; the new nick is reserved meanwhile.
struct PendingNick {
    SessionRef who;
    std::string nick;
    std::optional<std::string> request_id;
};

// A member's `history` request waiting for the bus' answer.
struct PendingHistory {
    SessionRef who;
    std::string epoch;
    std::optional<std::string> request_id;
};

struct RoomSharing {
    std::optional<bus::Position> cursor;         // the last shared message delivered here
    std::uint64_t resync_token = 0;              // the resync under way, 0 when none
    bool local_messages = false;                 // messages were numbered locally since the last sync
    std::map<std::uint64_t, PendingJoin> joins;  // by token (= the order they were asked)
    std::map<std::uint64_t, PendingNick> nicks;  // by token
    std::map<std::uint64_t, PendingHistory> histories;  // by token
    // The room's members on every instance as this one knows them (folded
    // nick -> nick): the list of the last join's sync point, kept up by the
    // presence since. The `users` request pages through it.
    std::map<std::string, std::string> known_members;
};

}  // namespace chatd::chat
