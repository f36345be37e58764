#include "chat/local_ordering.h"

#include "chat/hub.h"
#include "chat/room.h"
#include "chat/room_output.h"
#include "chat/shard_rooms.h"

namespace chatd::chat {

// A join answered at once: the welcome, then the presence event.
void LocalOrdering::join(Room& room, JoinRequest request) {
    if (request.old_nick.empty()) room.addMember(request.command.who, request.command.nick);
    enter(room, request);
}

void LocalOrdering::enter(Room& room, const JoinRequest& request) {
    const JoinCommand& join = request.command;
    const SessionRef& who = join.who;
    if (!request.old_nick.empty()) {  // joining the room it is in: a new welcome, and maybe a new nick
        if (request.old_nick != join.nick && room.renameMember(who.id, join.nick))
            output_.presence(room, "nick", join.nick, request.old_nick, room.memberCount());
        welcome(room, who, room.findMember(who.id)->nick, join.since, join.serial);
        return;
    }
    welcome(room, who, join.nick, join.since, join.serial);
    output_.presence(room, "join", join.nick, std::nullopt, room.memberCount());
    output_.pluginsJoined(room, who, join.nick);
}

void LocalOrdering::rename(Room& room, RenameRequest request) {
    if (!room.renameMember(request.who.id, request.nick)) {
        output_.nickTaken(room, request.who, request.nick, request.request_id);
        return;
    }
    output_.renamed(request.who, request.nick);
    output_.presence(room, "nick", request.nick, request.old_nick, room.memberCount());
}

void LocalOrdering::publish(Room& room, MemberMessage message) {
    deliver(room, message.member.nick, message.text, message.request_id, message.member.ref, message.started);
}

void LocalOrdering::post(Room& room, PostedMessage message) {
    deliver(room, message.from, message.text, std::nullopt, std::nullopt, message.started, message.origin);
}

void LocalOrdering::history(Room& room, const HistoryCommand& request) {
    if (hub_.messageStore()) return historyFromStore(room, request);
    const HistoryPage page = room.historyBefore(request.before, request.limit);
    output_.historyPage(room, request.who, room.epoch(), page.messages_json, page.more, request.request_id);
}

void LocalOrdering::left(Room& room, const SessionRef&, const std::string& nick, std::string_view reason) {
    output_.presence(room, "leave", nick, std::nullopt, room.memberCount(), reason);
}

void LocalOrdering::deliver(Room& room, const std::string& from, std::string_view text,
                            const std::optional<std::string>& request_id, std::optional<SessionRef> sender,
                            util::SteadyTime started, std::string_view origin) {
    const std::uint64_t seq = room.nextSeq();
    const protocol::ChatMessage message{.room = room.name(),
                                        .epoch = room.epoch(),
                                        .seq = seq,
                                        .ts_ms = util::wallClockMillis(),
                                        .from = from,
                                        .text = text,
                                        .id = protocol::optionalView(request_id),
                                        .origin = origin};
    MessageFrames frames = output_.encode(room, message);
    if (hub_.messageStore()) {
        store(room, message, StoredCommand{.room = room.name(),
                                           .epoch = room.epoch(),
                                           .seq = seq,
                                           .generation = room.generation(),
                                           .json = std::move(frames.json),
                                           .raw = std::move(frames.raw),
                                           .sender = sender,
                                           .request_id = request_id,
                                           .started = started,
                                           .kept = false,
                                           .error = {}});
        return;
    }
    keep(room, seq, frames, started);
}

void LocalOrdering::keep(Room& room, std::uint64_t seq, const MessageFrames& frames, util::SteadyTime started) {
    const auto settings = hub_.settings();
    room.appendHistory(seq, frames.json, historyLimits(*settings));
    rooms_.boundHistory(settings->history_total_bytes / hub_.shardCount());
    room.sharing().local_messages = true;
    output_.deliver(room, frames, started);
}

void LocalOrdering::welcome(const Room& room, const SessionRef& who, const std::string& nick,
                            const std::optional<protocol::Since>& since, std::uint64_t serial) {
    // Only a JSON session is sent a welcome: a raw one needs neither history nor users.
    const bool json = who.mode == Mode::Json;
    HistorySlice history = json ? room.historyAfter(since) : HistorySlice{};
    const std::vector<std::string> from_store =
        json && !history.recovered ? missedFromStore(room, since) : std::vector<std::string>{};
    if (!from_store.empty()) history = HistorySlice{{from_store.begin(), from_store.end()}, true};
    const std::vector<std::string> users =
        json ? room.welcomeUsers(nick, hub_.settings()->welcome_users) : std::vector<std::string>{};
    output_.welcome(room, who, nick,
                    WelcomeState{.epoch = room.epoch(),
                                 .seq = room.seq(),
                                 .users = users,
                                 .history_json = history.messages_json,
                                 .recovered = history.recovered,
                                 .count = room.memberCount()},
                    serial);
}

}  // namespace chatd::chat
