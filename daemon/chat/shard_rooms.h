// ShardRooms: the rooms one hub shard owns, by name, and the bytes their
// histories hold. Only the shard's thread touches the rooms; the counts are
// readable from any thread (/metrics, limits).
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "chat/room.h"
#include "util/clock.h"
#include "util/thread_owner.h"

namespace chatd::chat {

class ShardRooms {
public:
    explicit ShardRooms(unsigned loop_count) : loop_count_(loop_count) {}

    // Binds the rooms to the calling thread (the shard's) until unbind().
    void bindToCurrentThread() { owner_.bindToCurrentThread(); }
    void unbind() { owner_.unbind(); }

    Room* find(const std::string& name);
    // The room `name`; when new, created with a fresh epoch and `ordering`,
    // then handed to `created` (which may restore it from a store).
    Room& findOrCreate(const std::string& name, Ordering ordering, const std::function<void(Room&)>& created = {});
    // Every room, in no particular order.
    void forEach(const std::function<void(Room&)>& action);
    // Drops the rooms for which `drop` holds.
    void eraseIf(const std::function<bool(const Room&)>& drop);
    // Drops the empty rooms idle since before `cutoff`.
    void evictIdle(util::SteadyTime cutoff);
    // Drops the oldest history messages of these rooms until they hold at
    // most `budget` bytes (with some headroom, history_trim.h).
    void boundHistory(std::size_t budget);

    // Any thread.
    std::size_t count() const { return count_.load(std::memory_order_relaxed); }
    std::size_t historyBytes() const { return history_bytes_.load(std::memory_order_relaxed); }

private:
    unsigned loop_count_;
    // Before rooms_: every room gives its history's bytes back when destroyed.
    std::atomic<std::size_t> history_bytes_{0};
    util::ThreadOwner owner_;  // the shard thread, while it runs
    std::unordered_map<std::string, std::unique_ptr<Room>> rooms_;
    std::atomic<std::size_t> count_{0};
};

}  // namespace chatd::chat
