#include "chat/history_trim.h"

#include <functional>
#include <queue>
#include <tuple>

#include "chat/room.h"

namespace chatd::chat {

namespace {
// Which room gives up its oldest message next: rooms without members first,
// then the one whose oldest held message is oldest.
using Candidate = std::tuple<bool /* has members */, util::SteadyTime /* oldest message */, std::size_t /* room */>;

Candidate candidateOf(const std::vector<Room*>& rooms, std::size_t index) {
    const Room& room = *rooms[index];
    return {!room.empty(), room.history().oldest().added, index};
}
}  // namespace

std::size_t trimHistories(const std::vector<Room*>& rooms, std::size_t excess) {
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> next;
    for (std::size_t i = 0; i < rooms.size(); ++i)
        if (!rooms[i]->history().empty()) next.push(candidateOf(rooms, i));
    std::size_t freed = 0;
    while (freed < excess && !next.empty()) {
        const std::size_t index = std::get<2>(next.top());
        next.pop();
        RoomHistory& history = rooms[index]->history();
        freed += history.oldest().cost;
        history.dropOldest();
        if (!history.empty()) next.push(candidateOf(rooms, index));
    }
    return freed;
}

}  // namespace chatd::chat
