// RoomOutput: presence in small and big rooms. A room with at most
// chat.presence_max_members members (counted after the event) announces each
// join, leave and rename at once; a bigger one collects them in its
// PresenceBatch and sends one `batch` per chat.presence_interval. A batch
// still waiting when the room is small again goes out first, so that every
// member sees the events in the order they happened.
#include "chat/hub.h"
#include "chat/room.h"
#include "chat/room_output.h"
#include "protocol/event_encoder.h"

namespace chatd::chat {

void RoomOutput::presence(Room& room, std::string_view event, std::string_view nick,
                          std::optional<std::string_view> old_nick, std::size_t count, std::string_view reason) {
    const auto settings = hub_.settings();
    PresenceBatch& batch = room.presenceBatch();
    if (count <= settings->presence_max_members) {
        if (!batch.empty()) flushPresence(room);
        presenceNow(room, event, nick, old_nick, count, reason);
        return;
    }
    if (batch.empty()) {
        const util::SteadyTime due = util::steadyNow() + settings->presence_interval;
        batch.setDue(due);
        presence_due_.emplace(due, room.name());
    }
    if (event == protocol::presence_event::kJoin) {
        batch.joined(nick, count);
    } else if (event == protocol::presence_event::kLeave) {
        batch.left(nick, count);
    } else if (old_nick) {
        batch.renamed(*old_nick, nick, count);
        // The renamed member (when it is here) hears of its new nick at once.
        const auto owner = room.nickOwner(nick);
        const Member* member = owner ? room.findMember(*owner) : nullptr;
        if (member && member->ref.mode == Mode::Json)
            hub_.sendToSession(
                member->ref.id,
                net::makeFrame(ws::Opcode::Text, protocol::encodePresence(room.name(), event, nick, old_nick, count)));
    }
}

void RoomOutput::flushPresence(Room& room, std::optional<util::SteadyTime> now) {
    PresenceBatch& batch = room.presenceBatch();
    // Sent early (the room shrank) and collecting again: its own time comes.
    if (batch.empty() || (now && batch.due() > *now)) return;
    const PresenceBatch::Summary summary = batch.take();
    if (room.memberCount() == room.rawMemberCount()) return;  // nobody to tell
    toMembers(room,
              net::makeFrame(ws::Opcode::Text,
                             protocol::encodePresenceBatch(protocol::PresenceBatch{.room = room.name(),
                                                                                   .joined = summary.joined,
                                                                                   .left = summary.left,
                                                                                   .renamed = summary.renamed,
                                                                                   .joined_count = summary.joined_count,
                                                                                   .left_count = summary.left_count,
                                                                                   .count = summary.count})),
              nullptr, {});
}

std::vector<std::string> RoomOutput::takeDuePresence(util::SteadyTime now) {
    std::vector<std::string> due;
    while (!presence_due_.empty() && presence_due_.begin()->first <= now) {
        due.push_back(std::move(presence_due_.begin()->second));
        presence_due_.erase(presence_due_.begin());
    }
    return due;
}

util::SteadyTime RoomOutput::nextPresenceDue() const {
    return presence_due_.empty() ? util::SteadyTime::max() : presence_due_.begin()->first;
}

}  // namespace chatd::chat
