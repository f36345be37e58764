// The values the history store keeps and returns: one message of a room
// (already encoded as the protocol's `message` object), a room's position,
// what a room starts from, and one page of older messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chatd::history {

struct StoredMessage {
    std::string room;
    std::string epoch;
    std::uint64_t seq = 0;
    std::int64_t ts_ms = 0;  // the message's `ts`: milliseconds since the Unix epoch
    std::string json;        // the encoded `message` object (protocol::encodeMessage)
    friend bool operator==(const StoredMessage&, const StoredMessage&) = default;
};

// Where a room stands: its epoch and the seq of its last message (0 when the
// epoch has no message yet).
struct RoomPosition {
    std::string epoch;
    std::uint64_t seq = 0;
    friend bool operator==(const RoomPosition&, const RoomPosition&) = default;
};

// What a room starts from after a restart.
struct RoomRecord {
    std::optional<RoomPosition> position;  // nullopt: the store does not know the room
    std::vector<StoredMessage> recent;     // the newest messages of that epoch, oldest first
};

// An answer to HistoryStore::page().
struct HistoryPage {
    std::vector<StoredMessage> messages;  // oldest first
    bool more = false;                    // older messages of that epoch exist
};

}  // namespace chatd::history
