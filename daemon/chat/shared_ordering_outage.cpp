// SharedOrdering when the bus goes away and comes back: every shared room
// goes on locally under a fresh local epoch (open claims are granted here,
// bounced messages delivered here); when Redis is back, each room registers
// its members again and catches up through a resync (docs/scaling.md).
#include "chat/hub.h"
#include "chat/local_ordering.h"
#include "chat/room.h"
#include "chat/room_output.h"
#include "chat/shard_rooms.h"
#include "chat/shared_ordering.h"
#include "util/random_id.h"

namespace chatd::chat {

// The bus was not sharing when the request reached it: serve it here.
void SharedOrdering::onBounced(Room& room, bus::Request& request) {
    if (auto* history = std::get_if<bus::HistoryRequest>(&request)) {
        // The shared log is out of reach: this instance holds none of it.
        onHistoryAnswer(room, bus::HistoryAnswer{.token = history->token, .messages = {}, .more = false});
        return;
    }
    auto* publish = std::get_if<bus::PublishRequest>(&request);
    if (!publish) return;  // claims were settled when sharing stopped
    if (!room.isLocal()) {
        // Shared again by now (the bus went down and up meanwhile): the
        // message never reached Redis, so it can go there now, once.
        hub_.bus().publish(std::move(*publish));
        return;
    }
    // A post (with an origin) has no sender to tell, whoever holds its `from` here.
    const auto owner = publish->origin.empty() ? room.nickOwner(publish->from) : std::nullopt;
    const Member* sender = owner ? room.findMember(*owner) : nullptr;
    local_.deliver(room, publish->from, publish->text, publish->id,
                   sender ? std::optional<SessionRef>(sender->ref) : std::nullopt, {}, publish->origin);
}

void SharedOrdering::onSharingChanged(bool sharing) {
    if (sharing)
        startSharing();
    else
        stopSharing();
}

// Redis is unreachable: every shared room goes on locally, under a new local
// epoch, and the claims Redis did not answer are granted here.
void SharedOrdering::stopSharing() {
    sharing_ = false;
    rooms_.forEach([this](Room& room) {
        if (room.isLocal()) return;
        room.startLocalEpoch(util::randomHexId());
        RoomSharing& sharing = room.sharing();
        sharing.resync_token = 0;  // (local_messages stays until a resync succeeds)
        // Presence from the others is missed from now on: `users` pages the
        // local members until a join brings the whole list again.
        sharing.known_members.clear();
        auto joins = std::exchange(sharing.joins, {});
        auto nicks = std::exchange(sharing.nicks, {});
        for (auto& [token, asked] : std::exchange(sharing.histories, {}))  // the shared log is out of reach
            output_.historyPage(room, asked.who, asked.epoch, {}, false, asked.request_id);
        for (auto& [token, rename] : nicks) {
            room.releaseNick(rename.nick, rename.who.id);
            if (const Member* member = room.findMember(rename.who.id))
                local_.rename(room, RenameRequest{.who = rename.who,
                                                  .nick = rename.nick,
                                                  .old_nick = member->nick,
                                                  .request_id = rename.request_id});
        }
        for (auto& [token, join] : joins) completeJoinLocally(room, join);
    });
}

void SharedOrdering::completeJoinLocally(Room& room, PendingJoin& join) {
    const SessionRef who = join.who;
    room.releaseNick(join.nick, who.id);
    room.setJoining(who.id, false);
    const Member* member = room.findMember(who.id);
    if (!member) return;
    const bool newcomer = join.old_nick.empty();
    local_.enter(room, JoinRequest{.command = JoinCommand{.who = who,
                                                          .room = room.name(),
                                                          .nick = newcomer ? member->nick : join.nick,
                                                          .since = join.since,
                                                          .request_id = join.request_id,
                                                          .serial = join.serial},
                                   .old_nick = newcomer ? std::string() : member->nick,
                                   .guest = false});
    const std::string nick = room.findMember(who.id)->nick;
    for (const HeldMessage& held : join.held) local_.deliver(room, nick, held.text, held.request_id, who);
}

// Redis is back: each room with members here registers them again and waits
// for its sync point; rooms without members are forgotten (Redis holds them).
void SharedOrdering::startSharing() {
    sharing_ = true;
    rooms_.eraseIf([](const Room& room) { return room.empty(); });
    rooms_.forEach([this](Room& room) {
        RoomSharing& sharing = room.sharing();
        room.setOrdering(Ordering::Syncing);
        sharing.resync_token = next_token_++;
        hub_.bus().resync(bus::ResyncRequest{.room = room.name(),
                                             .token = sharing.resync_token,
                                             .nicks = room.nicks(),
                                             .cursor = sharing.cursor,
                                             .new_epoch = sharing.local_messages});
    });
}

}  // namespace chatd::chat
