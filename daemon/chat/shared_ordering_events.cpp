// SharedOrdering: what the bus reports about a shared room — messages and
// presence in the room's order, the sync points that place a joiner (or this
// instance, after an outage) in that order, and Redis' answers to claims.
#include <spdlog/spdlog.h>

#include <random>

#include "chat/hub.h"
#include "chat/room.h"
#include "chat/room_output.h"
#include "chat/shared_ordering.h"
#include "chat/welcome_frame.h"
#include "protocol/event_encoder.h"
#include "protocol/names.h"
#include "util/log_text.h"

namespace chatd::chat {

namespace {

// A hub-picked guest nick taken on another instance: try this many.
constexpr unsigned kGuestNickAttempts = 8;

protocol::ChatMessage chatMessageOf(const std::string& room, const bus::MessageRecord& message) {
    return protocol::ChatMessage{.room = room,
                                 .epoch = message.epoch,
                                 .seq = message.seq,
                                 .ts_ms = message.ts_ms,
                                 .from = message.from,
                                 .text = message.text,
                                 .id = protocol::optionalView(message.id),
                                 .origin = message.origin};
}

std::vector<std::string> encodeMessages(const Room& room, const std::vector<bus::MessageRecord>& messages) {
    std::vector<std::string> encoded;
    encoded.reserve(messages.size());
    for (const bus::MessageRecord& message : messages)
        encoded.push_back(protocol::encodeMessage(chatMessageOf(room.name(), message)));
    return encoded;
}

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

void SharedOrdering::onEvent(Room& room, bus::RoomEvent& event) {
    std::visit(
        [this, &room](auto& reported) {
            using Event = std::decay_t<decltype(reported)>;
            if constexpr (std::is_same_v<Event, bus::RemoteMessage>)
                onRemoteMessage(room, reported.message);
            else if constexpr (std::is_same_v<Event, bus::RemotePresence>)
                onRemotePresence(room, reported);
            else if constexpr (std::is_same_v<Event, bus::SyncPoint>)
                onSyncPoint(room, reported);
            else if constexpr (std::is_same_v<Event, bus::ClaimAnswer>)
                onClaimAnswer(room, reported);
            else if constexpr (std::is_same_v<Event, bus::HistoryAnswer>)
                onHistoryAnswer(room, reported);
            else if constexpr (std::is_same_v<Event, bus::RemoteKick>)
                onRemoteKick(room, reported);
            else if constexpr (std::is_same_v<Event, bus::Refused>)
                onRefused(room, reported.request);
            else
                onBounced(room, reported.request);
        },
        event);
}

// Delivers in the bus' order; a message this instance already delivered
// (seq not above the cursor) is dropped.
void SharedOrdering::onRemoteMessage(Room& room, const bus::MessageRecord& message) {
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
    output_.deliver(room, output_.encode(room, chatMessageOf(room.name(), message)), util::steadyNow());
}

// Redis never saw it, so it took no seq and nobody else got it: the
// numbering has nothing to take back. The sender (found by nick, as for a
// bounced message) may send it again later.
void SharedOrdering::onRefused(Room& room, const bus::PublishRequest& refused) {
    const auto owner = refused.origin.empty() ? room.nickOwner(refused.from) : std::nullopt;
    const Member* sender = owner ? room.findMember(*owner) : nullptr;
    if (!sender) {
        spdlog::warn("room {}: a message from {} was refused: too much waits for Redis", room.name(),
                     util::LogText{refused.from});
        return;
    }
    output_.error(sender->ref, "unavailable",
                  "the server is overloaded and could not share the message; try again later", refused.id);
}

void SharedOrdering::onRemoteKick(Room& room, const bus::RemoteKick& kick) {
    const auto owner = room.nickOwner(kick.nick);
    const Member* member = owner ? room.findMember(*owner) : nullptr;
    if (!member || member->joining) return;  // held elsewhere (or by nobody)
    hub_.submit(KickCommand{.session_id = member->ref.id, .room = room.name(), .reason = kick.reason, .by = kick.by});
}

void SharedOrdering::onRemotePresence(Room& room, const bus::RemotePresence& presence) {
    if (room.ordering() != Ordering::Shared) return;
    // The member list the `users` request pages through follows every event.
    auto& known = room.sharing().known_members;
    if (presence.event == "leave" || presence.event == "nick")
        known.erase(protocol::foldName(presence.event == "nick" ? presence.old_nick : presence.nick));
    if (presence.event == "join" || presence.event == "nick") known[protocol::foldName(presence.nick)] = presence.nick;
    if (presence.own_resync) return;
    std::optional<std::string_view> old_nick;
    if (presence.event == "nick") old_nick = presence.old_nick;
    output_.presence(room, presence.event, presence.nick, old_nick, presence.count, presence.reason);
}

void SharedOrdering::onSyncPoint(Room& room, bus::SyncPoint& point) {
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
    completeJoin(room, node.mapped(), point);
}

// The welcome is placed at the join's sync point: everything after it in the
// room's order reaches the joiner live, nothing twice.
void SharedOrdering::completeJoin(Room& room, PendingJoin& join, const bus::SyncPoint& point) {
    const SessionRef who = join.who;
    room.releaseNick(join.nick, who.id);
    if (!join.old_nick.empty()) room.renameMember(who.id, join.nick);  // the bus announces the rename
    room.setJoining(who.id, false);
    const Member* member = room.findMember(who.id);
    if (!member) return;
    const std::vector<std::string> history =
        who.mode == Mode::Json ? encodeMessages(room, point.messages) : std::vector<std::string>{};
    const std::vector<std::string_view> history_json(history.begin(), history.end());
    if (!point.users.empty()) {  // the whole list at this point in the room's order
        auto& known = room.sharing().known_members;
        known.clear();
        for (const std::string& nick : point.users) known[protocol::foldName(nick)] = nick;
    }
    const std::vector<std::string> users =
        who.mode == Mode::Json ? welcomeUsers(point.users, member->nick, hub_.settings()->welcome_users)
                               : std::vector<std::string>{};
    output_.welcome(room, who, member->nick,
                    WelcomeState{.epoch = point.position.epoch,
                                 .seq = point.position.seq,
                                 .users = users,
                                 .history_json = history_json,
                                 .recovered = point.recovered,
                                 .count = point.users.size()},
                    join.serial);
    if (join.old_nick.empty()) output_.pluginsJoined(room, who, member->nick);
    for (HeldMessage& held : join.held)
        publishToBus(room.name(), member->nick, std::move(held.text), std::move(held.request_id));
}

void SharedOrdering::onClaimAnswer(Room& room, const bus::ClaimAnswer& answer) {
    RoomSharing& sharing = room.sharing();
    if (auto node = sharing.joins.extract(answer.token); !node.empty()) {
        if (answer.taken) onJoinRefused(room, node.mapped());  // else: granted by its sync point
        return;
    }
    if (auto node = sharing.nicks.extract(answer.token); !node.empty()) {
        const PendingNick& rename = node.mapped();
        room.releaseNick(rename.nick, rename.who.id);
        if (answer.taken)
            output_.nickTaken(room, rename.who, rename.nick, rename.request_id);
        else
            applyRename(room, rename);
    }
}

// The nick is someone's on another instance: a hub-picked guest nick is
// tried again under another number, anything else is refused.
void SharedOrdering::onJoinRefused(Room& room, PendingJoin& join) {
    if (join.guest && join.attempts < kGuestNickAttempts) {
        std::string nick = randomGuestNick(room);
        if (room.renameMember(join.who.id, nick)) {
            join.nick = std::move(nick);
            ++join.attempts;
            const std::uint64_t token = next_token_++;
            claimJoin(room, token, room.sharing().joins[token] = std::move(join));
            return;
        }
    }
    if (join.old_nick.empty())
        room.removeMember(join.who.id);
    else
        room.releaseNick(join.nick, join.who.id);
    output_.refuseJoin(room, join.who, join.nick, join.request_id, join.serial);
    for (const HeldMessage& held : join.held) output_.notInRoom(join.who, room.name(), held.request_id);
}

void SharedOrdering::onHistoryAnswer(Room& room, const bus::HistoryAnswer& answer) {
    auto node = room.sharing().histories.extract(answer.token);
    if (node.empty()) return;  // the member left meanwhile
    const PendingHistory& asked = node.mapped();
    const std::vector<std::string> encoded = encodeMessages(room, answer.messages);
    const std::vector<std::string_view> messages_json(encoded.begin(), encoded.end());
    output_.historyPage(room, asked.who, asked.epoch, messages_json, answer.more, asked.request_id);
}

void SharedOrdering::applyRename(Room& room, const PendingNick& rename) {
    if (!room.findMember(rename.who.id)) return;
    if (!room.renameMember(rename.who.id, rename.nick)) {
        output_.nickTaken(room, rename.who, rename.nick, rename.request_id);
        return;
    }
    output_.renamed(rename.who, rename.nick);
}

}  // namespace chatd::chat
