#include "chat/shard_rooms.h"

#include <vector>

#include "chat/history_trim.h"
#include "util/random_id.h"

namespace chatd::chat {

Room* ShardRooms::find(const std::string& name) {
    CHATD_ASSERT_OWNED(owner_);
    const auto it = rooms_.find(name);
    return it == rooms_.end() ? nullptr : it->second.get();
}

Room& ShardRooms::findOrCreate(const std::string& name, Ordering ordering,
                               const std::function<void(Room&)>& created) {
    CHATD_ASSERT_OWNED(owner_);
    auto& slot = rooms_[name];
    if (!slot) {
        slot = std::make_unique<Room>(name, util::randomHexId(), loop_count_, ordering, &history_bytes_);
        count_.store(rooms_.size(), std::memory_order_relaxed);
        if (created) created(*slot);
    }
    return *slot;
}

void ShardRooms::forEach(const std::function<void(Room&)>& action) {
    CHATD_ASSERT_OWNED(owner_);
    for (auto& [name, room] : rooms_) action(*room);
}

void ShardRooms::eraseIf(const std::function<bool(const Room&)>& drop) {
    CHATD_ASSERT_OWNED(owner_);
    std::erase_if(rooms_, [&drop](const auto& entry) { return drop(*entry.second); });
    count_.store(rooms_.size(), std::memory_order_relaxed);
}

void ShardRooms::evictIdle(util::SteadyTime cutoff) {
    eraseIf([cutoff](const Room& room) { return room.empty() && room.lastActivity() < cutoff; });
}

void ShardRooms::boundHistory(std::size_t budget) {
    CHATD_ASSERT_OWNED(owner_);
    const std::size_t held = historyBytes();
    if (held <= budget) return;
    std::vector<Room*> rooms;
    rooms.reserve(rooms_.size());
    for (const auto& [name, room] : rooms_)
        if (!room->history().empty()) rooms.push_back(room.get());
    trimHistories(rooms, held - historyTrimTarget(budget));
}

}  // namespace chatd::chat
