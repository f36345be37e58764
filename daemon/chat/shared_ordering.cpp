#include "chat/shared_ordering.h"

#include "chat/hub.h"
#include "chat/room.h"
#include "chat/room_output.h"
#include "protocol/names.h"

namespace chatd::chat {

namespace {
bool sameFolded(std::string_view a, std::string_view b) { return protocol::foldName(a) == protocol::foldName(b); }
}  // namespace

// The nick is held here until Redis answers: a newcomer as a joining member,
// a member changing nick by a reservation.
void SharedOrdering::join(Room& room, JoinRequest request) {
    JoinCommand& command = request.command;
    if (request.old_nick.empty()) {
        room.addMember(command.who, command.nick);
        room.setJoining(command.who.id, true);
    } else if (!sameFolded(command.nick, request.old_nick)) {
        room.reserveNick(command.nick, command.who.id);
    }
    const std::uint64_t token = next_token_++;
    const PendingJoin& join = room.sharing().joins[token] = PendingJoin{.who = command.who,
                                                                        .nick = std::move(command.nick),
                                                                        .old_nick = std::move(request.old_nick),
                                                                        .guest = request.guest,
                                                                        .attempts = 1,
                                                                        .since = std::move(command.since),
                                                                        .request_id = std::move(command.request_id),
                                                                        .held = {},
                                                                        .serial = command.serial};
    claimJoin(room, token, join);
}

void SharedOrdering::claimJoin(Room& room, std::uint64_t token, const PendingJoin& join) {
    std::optional<bus::Position> since;
    if (join.since) since = bus::Position{join.since->epoch, join.since->seq};
    // A raw client's welcome is never sent: it needs neither history nor users.
    const bool json = join.who.mode == Mode::Json;
    hub_.bus().claim(bus::ClaimRequest{.room = room.name(),
                                       .token = token,
                                       .nick = join.nick,
                                       .old_nick = join.old_nick,
                                       .sync = true,
                                       .since = std::move(since),
                                       .recent = json ? hub_.settings()->history_size : 0,
                                       .users = json});
}

void SharedOrdering::rename(Room& room, RenameRequest request) {
    if (!sameFolded(request.nick, request.old_nick)) room.reserveNick(request.nick, request.who.id);
    const std::uint64_t token = next_token_++;
    const PendingNick& rename = room.sharing().nicks[token] =
        PendingNick{.who = request.who, .nick = std::move(request.nick), .request_id = std::move(request.request_id)};
    hub_.bus().claim(bus::ClaimRequest{.room = room.name(),
                                       .token = token,
                                       .nick = rename.nick,
                                       .old_nick = request.old_nick,
                                       .sync = false,
                                       .since = std::nullopt,
                                       .recent = 0,
                                       .users = true});
}

void SharedOrdering::publish(Room& room, MemberMessage message) {
    if (message.member.joining) {  // its join is not granted yet: the message waits for it
        for (auto& [token, join] : room.sharing().joins) {
            if (join.who.id == message.member.ref.id && join.old_nick.empty()) {
                join.held.push_back(HeldMessage{.text = std::move(message.text),
                                                .request_id = std::move(message.request_id)});
                return;
            }
        }
    }
    publishToBus(room.name(), message.member.nick, std::move(message.text), std::move(message.request_id));
}

void SharedOrdering::post(Room& room, PostedMessage message) {
    publishToBus(room.name(), std::move(message.from), std::move(message.text), std::nullopt, message.origin);
}

void SharedOrdering::postWithoutRoom(const std::string& room, PostedMessage message) {
    publishToBus(room, std::move(message.from), std::move(message.text), std::nullopt, message.origin);
}

void SharedOrdering::publishToBus(const std::string& room, std::string from, std::string text,
                                  std::optional<std::string> request_id, std::string_view origin) {
    hub_.bus().publish(bus::PublishRequest{.room = room,
                                           .from = std::move(from),
                                           .text = std::move(text),
                                           .id = std::move(request_id),
                                           .origin = std::string(origin)});
}

void SharedOrdering::history(Room& room, const HistoryCommand& request) {
    const std::optional<bus::Position>& cursor = room.sharing().cursor;
    if (!cursor) {  // nothing shared was delivered here yet
        output_.historyPage(room, request.who, "", {}, false, request.request_id);
        return;
    }
    const std::uint64_t token = next_token_++;
    room.sharing().histories[token] =
        PendingHistory{.who = request.who, .epoch = cursor->epoch, .request_id = request.request_id};
    hub_.bus().history(bus::HistoryRequest{
        .room = room.name(), .token = token, .epoch = cursor->epoch, .before = request.before, .limit = request.limit});
}

// Forgets the member's open claims; the release follows its claims in
// Redis' order, so a member that never got in leaves nothing behind.
void SharedOrdering::left(Room& room, const SessionRef& who, const std::string& nick, std::string_view reason) {
    RoomSharing& sharing = room.sharing();
    const auto forget = [&](auto& entry) {
        if (entry.second.who.id != who.id) return false;
        room.releaseNick(entry.second.nick, who.id);
        return true;
    };
    std::erase_if(sharing.joins, forget);
    std::erase_if(sharing.nicks, forget);
    std::erase_if(sharing.histories, [&](const auto& entry) { return entry.second.who.id == who.id; });
    hub_.bus().release(bus::ReleaseRequest{.room = room.name(), .nick = nick, .reason = std::string(reason)});
}

}  // namespace chatd::chat
