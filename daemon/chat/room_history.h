// RoomHistory: the messages a room keeps for `welcome` and for resuming with
// `since`, as the encoded frames that were broadcast, oldest first, with
// consecutive sequence numbers. Bounded by a count and by the bytes the held
// messages really cost; every byte it holds is also counted in its shard's
// total (an atomic the shard bounds and /metrics reads), and given back when
// messages go or the history is destroyed.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>

#include "net/shared_frame.h"
#include "util/clock.h"

namespace chatd::chat {

// chat.history_size and chat.history_bytes.
struct HistoryLimits {
    std::size_t messages = 100;
    std::size_t bytes = 512 * 1024;
};

// What one held message costs in memory: the frame's buffer (its capacity and
// the allocator's header) plus the shared pointer's block with the string
// object in it and the history's own entry.
std::size_t heldCost(const net::SharedFrame& frame);

class RoomHistory {
public:
    struct Entry {
        std::uint64_t seq;
        net::SharedFrame frame;
        util::SteadyTime added;
        std::size_t cost;
    };

    // `shard_total`: where the bytes held are also counted (may be null).
    explicit RoomHistory(std::atomic<std::size_t>* shard_total = nullptr) : shard_total_(shard_total) {}
    ~RoomHistory() { clear(); }
    RoomHistory(const RoomHistory&) = delete;
    RoomHistory& operator=(const RoomHistory&) = delete;

    // Keeps `frame` (sequence number `seq`, one after the newest held), then
    // drops the oldest while more than `limits` are held; a message bigger
    // than limits.bytes on its own is not kept.
    void append(std::uint64_t seq, net::SharedFrame frame, const HistoryLimits& limits);
    void dropOldest();
    void clear();

    bool empty() const { return entries_.empty(); }
    std::size_t size() const { return entries_.size(); }
    std::size_t bytes() const { return bytes_; }
    const Entry& oldest() const { return entries_.front(); }
    const Entry& operator[](std::size_t index) const { return entries_[index]; }

private:
    void account(std::size_t added, std::size_t removed);

    std::deque<Entry> entries_;
    std::size_t bytes_ = 0;
    std::atomic<std::size_t>* shard_total_;
};

}  // namespace chatd::chat
