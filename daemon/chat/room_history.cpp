#include "chat/room_history.h"

namespace chatd::chat {

namespace {
// A make_shared<std::string> block (64 bytes with the allocator's header), the
// buffer's allocator header and rounding (24) and the ring entry (40).
constexpr std::size_t kHeldEntryOverhead = 128;
}  // namespace

std::size_t heldCost(const net::SharedFrame& frame) {
    return (frame ? frame->capacity() : 0) + kHeldEntryOverhead;
}

void RoomHistory::append(std::uint64_t seq, net::SharedFrame frame, const HistoryLimits& limits) {
    const std::size_t cost = heldCost(frame);
    entries_.push_back(Entry{seq, std::move(frame), util::steadyNow(), cost});
    account(cost, 0);
    while (!entries_.empty() && (entries_.size() > limits.messages || bytes_ > limits.bytes)) dropOldest();
}

void RoomHistory::dropOldest() {
    account(0, entries_.front().cost);
    entries_.pop_front();
}

void RoomHistory::clear() {
    account(0, bytes_);
    entries_.clear();
}

void RoomHistory::account(std::size_t added, std::size_t removed) {
    bytes_ = bytes_ + added - removed;
    if (!shard_total_) return;
    if (added) shard_total_->fetch_add(added, std::memory_order_relaxed);
    if (removed) shard_total_->fetch_sub(removed, std::memory_order_relaxed);
}

}  // namespace chatd::chat
