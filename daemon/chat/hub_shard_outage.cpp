// HubShard when the shared bus goes away and comes back: every shared room
// goes on locally under a fresh local epoch (open claims are granted here,
// bounced messages delivered here); when Redis is back, each room registers
// its members again and catches up through a resync (docs/scaling.md).
#include "chat/hub.h"
#include "chat/hub_shard.h"
#include "plugin_host/pipeline.h"
#include "util/random_id.h"

namespace chatd::chat {

// The bus was not sharing when the request reached it: serve it here.
void HubShard::onBounced(Room& room, bus::Request& request) {
    auto* publish = std::get_if<bus::PublishRequest>(&request);
    if (!publish) return;  // claims were settled when sharing stopped
    if (!room.isLocal()) {
        // Shared again by now (the bus went down and up meanwhile): the
        // message never reached Redis, so it can go there now, once.
        hub_.bus().publish(std::move(*publish));
        return;
    }
    deliverLocally(room, publish->from, publish->text, publish->id);
}

// ---- the bus starts or stops sharing ----

void HubShard::execute(BusStateCommand& command) {
    if (command.sharing)
        startSharing();
    else
        stopSharing();
}

// Redis is unreachable: every shared room goes on locally, under a new local
// epoch, and the claims Redis did not answer are granted here.
void HubShard::stopSharing() {
    sharing_ = false;
    for (auto& [name, room] : rooms_) {
        if (room->isLocal()) continue;
        room->startLocalEpoch(util::randomHexId());
        RoomSharing& sharing = room->sharing();
        sharing.resync_token = 0;  // (local_messages stays until a resync succeeds)
        auto joins = std::exchange(sharing.joins, {});
        auto nicks = std::exchange(sharing.nicks, {});
        for (auto& [token, rename] : nicks) {
            room->releaseNick(rename.nick, rename.who.id);
            applyRename(*room, rename, true);
        }
        for (auto& [token, join] : joins) completeJoinLocally(*room, join);
    }
}

void HubShard::completeJoinLocally(Room& room, PendingJoin& join) {
    const SessionRef who = join.who;
    room.releaseNick(join.nick, who.id);
    room.setJoining(who.id, false);
    const Member* member = room.findMember(who.id);
    if (!member) return;
    const std::string old_nick = member->nick;
    if (!join.old_nick.empty() && old_nick != join.nick && room.renameMember(who.id, join.nick))
        broadcastPresence(room, "nick", join.nick, old_nick, room.memberCount());
    const std::string nick = room.findMember(who.id)->nick;
    welcome(room, who, nick, join.since, join.serial);
    if (join.old_nick.empty()) {
        broadcastPresence(room, "join", nick, std::nullopt, room.memberCount());
        if (auto pipeline = hub_.pipeline()) pipeline->onJoin({who.id, std::to_string(who.id), room.name(), nick});
    }
    for (const HeldMessage& held : join.held) deliverLocally(room, nick, held.text, held.request_id);
}

// Redis is back: each room with members here registers them again and waits
// for its sync point; rooms without members are forgotten (Redis holds them).
void HubShard::startSharing() {
    sharing_ = true;
    for (auto it = rooms_.begin(); it != rooms_.end();) {
        Room& room = *it->second;
        if (room.empty()) {
            it = rooms_.erase(it);
            continue;
        }
        RoomSharing& sharing = room.sharing();
        room.setOrdering(Ordering::Syncing);
        sharing.resync_token = next_token_++;
        hub_.bus().resync(bus::ResyncRequest{room.name(), sharing.resync_token, room.nicks(), sharing.cursor,
                                             sharing.local_messages});
        ++it;
    }
    room_count_.store(rooms_.size(), std::memory_order_relaxed);
}

}  // namespace chatd::chat
