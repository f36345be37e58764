#include "chat/loop_rooms.h"

#include "net/connection.h"

namespace chatd::chat {

void LoopRooms::add(const std::string& room, net::Connection& connection, Mode mode) {
    auto& members = rooms_[room];
    connection.room_slot = members.size();
    members.push_back(Entry{&connection, mode});
}

// Swap-remove: the last entry takes the leaver's slot (O(1)).
void LoopRooms::remove(const std::string& room, net::Connection& connection) {
    const auto it = rooms_.find(room);
    if (it == rooms_.end()) return;
    auto& members = it->second;
    const std::size_t slot = connection.room_slot;
    if (slot >= members.size() || members[slot].connection != &connection) return;
    members[slot] = members.back();
    members[slot].connection->room_slot = slot;
    members.pop_back();
    if (members.empty() && !delivering_) rooms_.erase(it);
}

void LoopRooms::deliver(const std::string& room, const net::SharedFrame& json, const net::SharedFrame& raw) {
    const auto it = rooms_.find(room);
    if (it == rooms_.end()) return;
    // A send can close a slow consumer, whose session then leaves this very
    // list (swap-remove): re-check slot i before moving on.
    delivering_ = true;
    auto& members = it->second;
    for (std::size_t i = 0; i < members.size();) {
        const Entry entry = members[i];
        if (entry.mode == Mode::Json) {
            if (json) entry.connection->send(json);
        } else if (raw) {
            entry.connection->send(raw);
        }
        if (i < members.size() && members[i].connection == entry.connection) ++i;
    }
    delivering_ = false;
    if (members.empty()) rooms_.erase(it);
}

}  // namespace chatd::chat
