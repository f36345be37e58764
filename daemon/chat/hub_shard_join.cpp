// HubShard: the join command — room limits, nick checks, the welcome and the
// move of the session into the room (local ordering here; shared rooms go on
// in hub_shard_shared.cpp). Every answer carries the join's serial so the
// session can tell the last join it sent from earlier ones (JoinTracker).
#include "chat/hub.h"
#include "chat/hub_shard.h"
#include "chat/session.h"
#include "chat/welcome_frame.h"
#include "limits/limit_events.h"
#include "plugin_host/pipeline.h"

namespace chatd::chat {

std::string HubShard::uniqueGuestNick(const Room& room) {
    for (;;) {
        std::string nick = hub_.nextGuestNick();
        if (!room.nickOwner(nick)) return nick;
    }
}

bool HubShard::roomLimitsAllow(const JoinCommand& command, const Room* room, bool already_member) {
    const auto settings = hub_.settings();
    std::string_view code;
    std::string reason;
    limits::Limit limit = limits::Limit::Rooms;
    if (!room && hub_.roomCount() >= settings->max_rooms) {
        // Empty rooms wait out a grace period before they go; under pressure, now.
        // (A shared room's state lives in the bus too: those wait for evictIdleRooms.)
        std::erase_if(rooms_, [](const auto& entry) { return entry.second->empty() && entry.second->isLocal(); });
        room_count_.store(rooms_.size(), std::memory_order_relaxed);
        if (hub_.roomCount() >= settings->max_rooms) {
            code = "too_many_rooms";
            reason = "the server holds its limit of " + std::to_string(settings->max_rooms) + " rooms";
        }
    } else if (room && !already_member && room->memberCount() >= settings->max_room_users) {
        code = "room_full";
        reason = "room '" + room->name() + "' has its limit of " + std::to_string(settings->max_room_users) + " users";
        limit = limits::Limit::RoomUsers;
    }
    if (code.empty()) return true;
    if (auto* events = hub_.metrics().limit_events) events->hit(limit, reason);
    sendError(command.who, code, reason, command.request_id);
    hub_.withSession(command.who.id, [serial = command.serial](Session& session) { session.onJoinFailed(serial); });
    return false;
}

void HubShard::execute(JoinCommand& command) {
    {
        const Room* found = findRoom(command.room);
        if (!roomLimitsAllow(command, found, found && found->findMember(command.who.id))) return;
    }
    Room& room = roomNamed(command.room);
    const SessionRef who = command.who;
    const Member* existing = room.findMember(who.id);
    const std::string old_nick = existing ? existing->nick : std::string();
    const bool guest = command.nick.empty() && !existing;
    std::string nick = command.nick.empty() ? (existing ? existing->nick : uniqueGuestNick(room)) : command.nick;

    if (const auto owner = room.nickOwner(nick); owner && *owner != who.id) {
        refuseJoin(room, who, nick, command.request_id, command.serial);
        return;
    }
    if (!room.isLocal()) {
        joinShared(room, command, old_nick, std::move(nick), guest);
        return;
    }
    joinLocally(room, who, nick, old_nick, command.since, command.serial);
}

void HubShard::refuseJoin(const Room& room, const SessionRef& who, const std::string& nick,
                          const std::optional<std::string>& request_id, std::uint64_t serial) {
    sendError(who, "nick_taken", "nick '" + nick + "' is taken in room '" + room.name() + "'", request_id);
    hub_.withSession(who.id, [serial](Session& session) { session.onJoinFailed(serial); });
}

// A join answered at once: the welcome, then the presence event.
void HubShard::joinLocally(Room& room, const SessionRef& who, const std::string& nick, const std::string& old_nick,
                           const std::optional<protocol::Since>& since, std::uint64_t serial) {
    if (!old_nick.empty()) {  // joining the room it is in: a new welcome, and maybe a new nick
        if (old_nick != nick) {
            room.renameMember(who.id, nick);
            broadcastPresence(room, "nick", nick, old_nick, room.memberCount());
        }
        welcome(room, who, nick, since, serial);
        return;
    }
    room.addMember(who, nick);
    welcome(room, who, nick, since, serial);
    broadcastPresence(room, "join", nick, std::nullopt, room.memberCount());
    if (auto pipeline = hub_.pipeline()) pipeline->onJoin({who.id, std::to_string(who.id), room.name(), nick});
}

// Sends the welcome from the room's own epoch, seq and history (as much
// history as fits the joiner's send queue, welcome_frame.h).
void HubShard::welcome(Room& room, const SessionRef& who, const std::string& nick,
                       const std::optional<protocol::Since>& since, std::uint64_t serial) {
    net::SharedFrame frame;
    if (who.mode == Mode::Json) {
        const auto settings = hub_.settings();
        const HistorySlice history = room.historyAfter(since);
        const std::vector<std::string> users = room.nicks();
        const std::string session = std::to_string(who.id);
        protocol::Welcome message{session,
                                  nick,
                                  room.name(),
                                  room.epoch(),
                                  room.seq(),
                                  users,
                                  history.messages_json,
                                  history.recovered,
                                  settings->max_text_bytes};
        frame = makeWelcomeFrame(message, settings->send_queue_bytes);
    }
    enterRoom(room, who, nick, std::move(frame), serial);
}

// Sends `welcome` (JSON sessions) and moves the session into the room on its loop.
void HubShard::enterRoom(const Room& room, const SessionRef& who, const std::string& nick, net::SharedFrame welcome,
                         std::uint64_t serial) {
    Hub& hub = hub_;
    hub_.withSession(
        who.id,
        [name = room.name(), nick, frame = std::move(welcome), serial](Session& session) {
            session.onJoined(name, nick, frame, serial);
        },
        // The session closed before the welcome arrived: take it out again.
        [&hub, who, name = room.name()] {
            hub.submit(LeaveCommand{who, name});
        });
}

}  // namespace chatd::chat
