// HubShard and the shared bus (Redis): joins and renames claimed across
// instances, messages handed to the bus after the plugins, and what the bus
// reports delivered in its order (hub_shard_outage.cpp: when it cannot share).
#include <spdlog/spdlog.h>

#include <random>

#include "chat/hub.h"
#include "chat/hub_shard.h"
#include "chat/session.h"
#include "chat/welcome_frame.h"
#include "plugin_host/pipeline.h"
#include "protocol/event_encoder.h"
#include "protocol/names.h"

namespace chatd::chat {

namespace {

// A hub-picked guest nick taken on another instance: try this many.
constexpr unsigned kGuestNickAttempts = 8;

protocol::ChatMessage chatMessageOf(const std::string& room, const bus::MessageRecord& message) {
    std::optional<std::string_view> id;
    if (message.id) id = *message.id;
    return protocol::ChatMessage{room, message.epoch, message.seq, message.ts_ms, message.from, message.text, id};
}

bool sameFolded(std::string_view a, std::string_view b) { return protocol::foldName(a) == protocol::foldName(b); }

// A guest nick for a retry after a clash with another instance. Every
// instance counts guest-1, guest-2... from 1, so the next number in sequence
// is likely taken elsewhere too; a random one is taken only by chance.
std::string randomGuestNick(const Room& room) {
    static thread_local std::mt19937_64 engine{std::random_device{}()};
    std::uniform_int_distribution<std::uint64_t> number(1'000'000, 9'999'999);
    for (;;) {
        std::string nick = "guest-" + std::to_string(number(engine));
        if (!room.nickOwner(nick)) return nick;
    }
}

}  // namespace

// ---- session commands on a shared room ----

void HubShard::joinShared(Room& room, JoinCommand& command, const std::string& old_nick, std::string nick, bool guest) {
    // The nick is held here until Redis answers: a newcomer as a joining member,
    // a member changing nick by a reservation.
    if (old_nick.empty()) {
        room.addMember(command.who, nick);
        room.setJoining(command.who.id, true);
    } else if (!sameFolded(nick, old_nick)) {
        room.reserveNick(nick, command.who.id);
    }
    const std::uint64_t token = next_token_++;
    PendingJoin& join = room.sharing().joins[token];
    join = PendingJoin{command.who,
                       std::move(nick),
                       old_nick,
                       guest,
                       1,
                       std::move(command.since),
                       std::move(command.request_id),
                       {},
                       command.serial};
    claimJoin(room, token, join);
}

void HubShard::claimJoin(Room& room, std::uint64_t token, const PendingJoin& join) {
    std::optional<bus::Position> since;
    if (join.since) since = bus::Position{join.since->epoch, join.since->seq};
    // A raw client's welcome is never sent: it needs neither history nor users.
    const bool json = join.who.mode == Mode::Json;
    hub_.bus().claim(bus::ClaimRequest{room.name(), token, join.nick, join.old_nick, true, std::move(since),
                                       json ? hub_.settings()->history_size : 0, json});
}

void HubShard::renameShared(Room& room, NickCommand& command, const std::string& old_nick) {
    if (const auto owner = room.nickOwner(command.nick); owner && *owner != command.who.id) {
        sendError(command.who, "nick_taken", "nick '" + command.nick + "' is taken in room '" + room.name() + "'",
                  command.request_id);
        return;
    }
    if (!sameFolded(command.nick, old_nick)) room.reserveNick(command.nick, command.who.id);
    const std::uint64_t token = next_token_++;
    room.sharing().nicks[token] = PendingNick{command.who, command.nick, command.request_id};
    hub_.bus().claim(bus::ClaimRequest{room.name(), token, command.nick, old_nick, false, std::nullopt, 0});
}

void HubShard::publishShared(Room& room, const Member& member, std::string text,
                             std::optional<std::string> request_id) {
    if (member.joining) {  // its join is not granted yet: the message waits for it
        for (auto& [token, join] : room.sharing().joins) {
            if (join.who.id == member.ref.id && join.old_nick.empty()) {
                join.held.push_back(HeldMessage{std::move(text), std::move(request_id)});
                return;
            }
        }
    }
    hub_.bus().publish(bus::PublishRequest{room.name(), member.nick, std::move(text), std::move(request_id)});
}

void HubShard::leaveShared(Room& room, const SessionRef& who, const std::string& nick) {
    RoomSharing& sharing = room.sharing();
    std::erase_if(sharing.joins, [&](auto& entry) {
        if (entry.second.who.id != who.id) return false;
        room.releaseNick(entry.second.nick, who.id);
        return true;
    });
    std::erase_if(sharing.nicks, [&](auto& entry) {
        if (entry.second.who.id != who.id) return false;
        room.releaseNick(entry.second.nick, who.id);
        return true;
    });
    // After its claim in Redis' order: a member that never got in leaves nothing behind.
    hub_.bus().release(bus::ReleaseRequest{room.name(), nick});
}

// ---- what the bus reports ----

void HubShard::execute(BusEventCommand& command) {
    Room* room = findRoom(command.room);
    if (!room) return;  // no member here
    std::visit(
        [this, room](auto& event) {
            using Event = std::decay_t<decltype(event)>;
            if constexpr (std::is_same_v<Event, bus::RemoteMessage>)
                onRemoteMessage(*room, event.message);
            else if constexpr (std::is_same_v<Event, bus::RemotePresence>)
                onRemotePresence(*room, event);
            else if constexpr (std::is_same_v<Event, bus::SyncPoint>)
                onSyncPoint(*room, event);
            else if constexpr (std::is_same_v<Event, bus::ClaimAnswer>)
                onClaimAnswer(*room, event);
            else
                onBounced(*room, event.request);
        },
        *command.event);
}

// Delivers in the bus' order; a message this instance already delivered
// (seq not above the cursor) is dropped.
void HubShard::onRemoteMessage(Room& room, const bus::MessageRecord& message) {
    if (room.ordering() != Ordering::Shared) return;  // Syncing: the sync point brings it
    std::optional<bus::Position>& cursor = room.sharing().cursor;
    if (cursor && cursor->epoch == message.epoch) {
        if (message.seq <= cursor->seq) return;
        if (message.seq != cursor->seq + 1)
            spdlog::warn("room {}: messages {}..{} of epoch {} never arrived here", room.name(), cursor->seq + 1,
                         message.seq - 1, message.epoch);
        cursor->seq = message.seq;
    } else {
        cursor = bus::Position{message.epoch, message.seq};  // a new epoch: Redis lost the room, or it moved on
    }
    broadcastMessage(room, chatMessageOf(room.name(), message));
}

void HubShard::onRemotePresence(Room& room, const bus::RemotePresence& presence) {
    if (room.ordering() != Ordering::Shared || presence.own_resync) return;
    std::optional<std::string_view> old_nick;
    if (presence.event == "nick") old_nick = presence.old_nick;
    broadcastPresence(room, presence.event, presence.nick, old_nick, presence.count);
}

void HubShard::onSyncPoint(Room& room, bus::SyncPoint& point) {
    if (room.isLocal()) return;  // sharing stopped meanwhile; its claims were settled then
    RoomSharing& sharing = room.sharing();
    if (point.token != 0 && point.token == sharing.resync_token) {
        // Back in the shared order: first what was missed, then live messages.
        sharing.resync_token = 0;
        room.setOrdering(Ordering::Shared);
        for (const bus::MessageRecord& message : point.messages) onRemoteMessage(room, message);
        sharing.cursor = point.position;
        sharing.local_messages = false;
        room.clearHistory();
        spdlog::info("room {}: shared again at epoch {} seq {}", room.name(), point.position.epoch, point.position.seq);
        return;
    }
    auto node = sharing.joins.extract(point.token);
    if (node.empty()) return;  // the session left meanwhile
    if (room.ordering() == Ordering::Syncing) room.setOrdering(Ordering::Shared);
    sharing.cursor = point.position;
    completeJoinShared(room, node.mapped(), point);
}

// The welcome is placed at the join's sync point: everything after it in the
// room's order reaches the joiner live, nothing twice.
void HubShard::completeJoinShared(Room& room, PendingJoin& join, const bus::SyncPoint& point) {
    const SessionRef who = join.who;
    room.releaseNick(join.nick, who.id);
    if (!join.old_nick.empty()) room.renameMember(who.id, join.nick);  // the bus announces the rename
    room.setJoining(who.id, false);
    const Member* member = room.findMember(who.id);
    if (!member) return;
    net::SharedFrame frame;
    if (who.mode == Mode::Json) {
        std::vector<std::string> history;
        history.reserve(point.messages.size());
        for (const bus::MessageRecord& message : point.messages)
            history.push_back(protocol::encodeMessage(chatMessageOf(room.name(), message)));
        const std::vector<std::string_view> history_json(history.begin(), history.end());
        const std::string session = std::to_string(who.id);
        protocol::Welcome message{
            session,     member->nick, room.name(),     point.position.epoch,           point.position.seq,
            point.users, history_json, point.recovered, hub_.settings()->max_text_bytes};
        frame = makeWelcomeFrame(message, hub_.settings()->send_queue_bytes);
    }
    enterRoom(room, who, member->nick, std::move(frame), join.serial);
    if (join.old_nick.empty()) {
        if (auto pipeline = hub_.pipeline())
            pipeline->onJoin({who.id, std::to_string(who.id), room.name(), member->nick});
    }
    for (HeldMessage& held : join.held)
        hub_.bus().publish(
            bus::PublishRequest{room.name(), member->nick, std::move(held.text), std::move(held.request_id)});
}

void HubShard::onClaimAnswer(Room& room, const bus::ClaimAnswer& answer) {
    RoomSharing& sharing = room.sharing();
    if (auto node = sharing.joins.extract(answer.token); !node.empty()) {
        PendingJoin& join = node.mapped();
        if (!answer.taken) return;                               // joins are granted by their sync point
        if (join.guest && join.attempts < kGuestNickAttempts) {  // guest-<n> is someone's elsewhere
            std::string nick = randomGuestNick(room);
            if (room.renameMember(join.who.id, nick)) {
                join.nick = std::move(nick);
                ++join.attempts;
                const std::uint64_t token = next_token_++;
                claimJoin(room, token, sharing.joins[token] = std::move(join));
                return;
            }
        }
        if (join.old_nick.empty())
            room.removeMember(join.who.id);
        else
            room.releaseNick(join.nick, join.who.id);
        refuseJoin(room, join.who, join.nick, join.request_id, join.serial);
        for (const HeldMessage& held : join.held)
            sendError(join.who, "bad_request", "not in room '" + room.name() + "'", held.request_id);
        return;
    }
    if (auto node = sharing.nicks.extract(answer.token); !node.empty()) {
        const PendingNick& rename = node.mapped();
        room.releaseNick(rename.nick, rename.who.id);
        if (answer.taken)
            sendError(rename.who, "nick_taken", "nick '" + rename.nick + "' is taken in room '" + room.name() + "'",
                      rename.request_id);
        else
            applyRename(room, rename, false);  // the bus announces it
    }
}

void HubShard::applyRename(Room& room, const PendingNick& rename, bool announce) {
    const Member* member = room.findMember(rename.who.id);
    if (!member) return;
    const std::string old_nick = member->nick;
    if (!room.renameMember(rename.who.id, rename.nick)) {
        sendError(rename.who, "nick_taken", "nick '" + rename.nick + "' is taken in room '" + room.name() + "'",
                  rename.request_id);
        return;
    }
    hub_.withSession(rename.who.id, [nick = rename.nick](Session& session) { session.onNickChanged(nick); });
    if (announce) broadcastPresence(room, "nick", rename.nick, old_nick, room.memberCount());
}

}  // namespace chatd::chat
