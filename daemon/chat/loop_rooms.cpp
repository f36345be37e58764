#include "chat/loop_rooms.h"

#include "net/connection.h"
#include "net/loop_frame.h"
#include "net/io_loop.h"

namespace chatd::chat {

namespace {
// How many members ahead deliver() prefetches (net::Connection::prefetchForSend()).
constexpr std::size_t kPrefetchAhead = 8;
}  // namespace

void LoopRooms::assertLoopThread([[maybe_unused]] const char* caller) const {
#ifdef CHATD_CHECK_THREADS
    if (loop_) loop_->assertLoopThread(caller);
#endif
}

void LoopRooms::attach(std::uint64_t session_id, Session& session) {
    assertLoopThread();
    sessions_[session_id] = &session;
}

void LoopRooms::detach(std::uint64_t session_id) {
    assertLoopThread();
    sessions_.erase(session_id);
}

Session* LoopRooms::findSession(std::uint64_t session_id) const {
    assertLoopThread();
    const auto it = sessions_.find(session_id);
    return it == sessions_.end() ? nullptr : it->second;
}

void LoopRooms::add(const std::string& room, net::Connection& connection, Mode mode) {
    assertLoopThread();
    auto& members = rooms_[room];
    slots_[&connection] = members.size();
    members.push_back(Entry{&connection, mode});
}

// Swap-remove: the last entry takes the leaver's slot (O(1)).
void LoopRooms::remove(const std::string& room, net::Connection& connection) {
    assertLoopThread();
    const auto it = rooms_.find(room);
    const auto slot_it = slots_.find(&connection);
    if (it == rooms_.end() || slot_it == slots_.end()) return;
    auto& members = it->second;
    const std::size_t slot = slot_it->second;
    if (slot >= members.size() || members[slot].connection != &connection) return;
    slots_.erase(slot_it);
    members[slot] = members.back();
    members.pop_back();
    if (slot < members.size()) slots_[members[slot].connection] = slot;
    if (members.empty() && !delivering_) rooms_.erase(it);
}

void LoopRooms::deliver(const std::string& room, const net::SharedFrame& json, const net::SharedFrame& raw) {
    assertLoopThread();
    const auto it = rooms_.find(room);
    if (it == rooms_.end()) return;
    // A send can close a slow consumer, whose session then leaves this very
    // list (swap-remove): re-check slot i before moving on.
    delivering_ = true;
    auto& members = it->second;
    // Counted on this loop from here on: one shared_ptr copy each, not one per member.
    const net::LoopFrame json_here(json), raw_here(raw);
    for (std::size_t i = 0; i < members.size();) {
        if (i + kPrefetchAhead < members.size()) members[i + kPrefetchAhead].connection->prefetchForSend();
        const Entry entry = members[i];
        if (entry.mode == Mode::Json) {
            if (json_here) entry.connection->send(json_here);
        } else if (raw_here) {
            entry.connection->send(raw_here);
        }
        if (i < members.size() && members[i].connection == entry.connection) ++i;
    }
    delivering_ = false;
    if (members.empty()) rooms_.erase(it);
}

}  // namespace chatd::chat
