// Bounding the history all rooms of a hub shard hold together: when the
// shard's total goes over its share of chat.history_total_bytes, messages go
// from the rooms in this order: first the histories of rooms nobody is in
// (oldest message first), then the oldest messages of rooms with members.
// Messages only ever go from the old end of a room's history, so what a
// `since` recovers stays right (room.h: a `since` older than the oldest held
// message is not recovered).
#pragma once

#include <cstddef>
#include <vector>

namespace chatd::chat {

class Room;

// Drops held messages from `rooms` until at least `excess` bytes are freed
// or nothing is left; returns the bytes freed.
std::size_t trimHistories(const std::vector<Room*>& rooms, std::size_t excess);

// The total a shard trims down to once over its `share`: a little below it,
// so that trims (each walks every room of the shard) stay rare.
constexpr std::size_t historyTrimTarget(std::size_t share) { return share - share / 8; }

}  // namespace chatd::chat
