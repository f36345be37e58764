// HubShard: the thread, the session commands, and local ordering (the
// in-memory bus, or a shared room while Redis is unreachable).
#include "chat/hub_shard.h"

#include <spdlog/spdlog.h>

#include "chat/history_trim.h"
#include "chat/hub.h"
#include "chat/session.h"
#include "metrics/instruments.h"
#include "plugin_host/pipeline.h"
#include "protocol/event_encoder.h"
#include "util/log_text.h"
#include "util/loop_failure.h"
#include "util/random_id.h"
#include "ws/utf8.h"

namespace chatd::chat {

namespace {
// An empty room keeps its history (for clients resuming with `since`) this long.
constexpr auto kEmptyRoomTtl = std::chrono::minutes(10);
constexpr auto kSweepInterval = std::chrono::seconds(30);
}  // namespace

HubShard::HubShard(Hub& hub, unsigned index) : hub_(hub), index_(index) {}

HubShard::~HubShard() { stop(); }

void HubShard::start() {
    thread_ = std::thread([this] { run(); });
}

void HubShard::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void HubShard::post(HubCommand command) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(command));
    }
    wake_.notify_one();
}

void HubShard::run() {
    owner_.bindToCurrentThread();
    const std::string name = "hub shard " + std::to_string(index_);
    std::vector<HubCommand> batch;
    auto next_sweep = util::steadyNow() + kSweepInterval;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait_until(lock, next_sweep, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) break;
            batch.swap(queue_);
        }
        // A command that throws is reported and the next one runs (util/loop_failure.h).
        for (HubCommand& command : batch)
            util::runGuarded(name, [&] { std::visit([this](auto& c) { execute(c); }, command); });
        batch.clear();
        if (util::steadyNow() >= next_sweep) {
            evictIdleRooms();
            next_sweep = util::steadyNow() + kSweepInterval;
        }
    }
    owner_.unbind();
}

Room* HubShard::findRoom(const std::string& name) {
    CHATD_ASSERT_OWNED(owner_);
    const auto it = rooms_.find(name);
    return it == rooms_.end() ? nullptr : it->second.get();
}

Room& HubShard::roomNamed(const std::string& name) {
    CHATD_ASSERT_OWNED(owner_);
    auto& slot = rooms_[name];
    if (!slot) {
        // While the bus shares rooms, a new room waits for its first sync point.
        slot = std::make_unique<Room>(name, util::randomHexId(), hub_.loopCount(),
                                      sharing_ ? Ordering::Syncing : Ordering::Local, &history_bytes_);
        room_count_.store(rooms_.size(), std::memory_order_relaxed);
    }
    return *slot;
}

// The room and membership a command speaks for; answers bad_request (and
// returns nullptr) when the session is not in that room.
const Member* HubShard::memberFor(const SessionRef& who, const std::string& room_name,
                                  const std::optional<std::string>& request_id, Room*& room) {
    room = findRoom(room_name);
    const Member* member = room ? room->findMember(who.id) : nullptr;
    if (!member) sendError(who, "bad_request", "not in room '" + room_name + "'", request_id);
    return member;
}

void HubShard::execute(MessageCommand& command) {
    Room* room = nullptr;
    const Member* member = memberFor(command.who, command.room, command.request_id, room);
    if (!member) return;
    const util::SteadyTime started = util::steadyNow();
    if (auto* received = command.who.mode == Mode::Raw ? hub_.metrics().received_raw : hub_.metrics().received_json)
        received->inc();
    std::string text = std::move(command.text);
    if (auto pipeline = hub_.pipeline()) {
        const std::string session = std::to_string(command.who.id);
        plugin_host::MessageContext context{command.who.id, session, room->name(), member->nick, std::move(text)};
        const plugin_host::Verdict verdict = pipeline->onMessage(context);
        if (verdict.kind == plugin_host::VerdictKind::Drop) {
            hub_.clientLog().plugin_drops.log(spdlog::level::debug, "message from {} in {} dropped by plugin {}",
                                              member->nick, room->name(), verdict.plugin);
            return;
        }
        if (verdict.kind == plugin_host::VerdictKind::Reject) {
            hub_.clientLog().plugin_rejections.log(spdlog::level::info,
                                                   "message from {} in {} rejected by plugin {}: {}", member->nick,
                                                   room->name(), verdict.plugin, util::LogText{verdict.reason});
            sendError(command.who, verdict.code.empty() ? "rejected" : verdict.code, verdict.reason,
                      command.request_id);
            return;
        }
        text = std::move(context.text);
        if (text.empty() || !ws::isValidUtf8(text)) {
            hub_.clientLog().plugin_output.log(
                spdlog::level::err, "plugin pipeline produced empty or invalid UTF-8 text; message from {} dropped",
                member->nick);
            if (auto* ignored = hub_.metrics().ignored_plugin_output) ignored->inc();
            return;
        }
    }
    // The plugins ran here, once; a shared room's other instances never run them.
    if (room->isLocal())
        deliverLocally(*room, member->nick, text, command.request_id, started);
    else
        publishShared(*room, *member, std::move(text), std::move(command.request_id));
}

// Numbers the message here, keeps it in the history and delivers it.
void HubShard::deliverLocally(Room& room, const std::string& from, std::string_view text,
                              const std::optional<std::string>& request_id, util::SteadyTime started) {
    const std::uint64_t seq = room.nextSeq();
    std::optional<std::string_view> id;
    if (request_id) id = *request_id;
    const protocol::ChatMessage message{room.name(), room.epoch(), seq, util::wallClockMillis(), from, text, id};
    net::SharedFrame json = net::makeFrame(ws::Opcode::Text, protocol::encodeMessage(message));
    net::SharedFrame raw = room.rawMemberCount() > 0 ? net::makeFrame(ws::Opcode::Binary, text) : nullptr;
    const auto settings = hub_.settings();
    room.appendHistory(seq, json, HistoryLimits{settings->history_size, settings->history_bytes});
    boundHistory(*settings);
    room.sharing().local_messages = true;
    if (auto* delivered = hub_.metrics().delivered) delivered->inc(room.memberCount());
    broadcast(room, json, raw, started);
}

void HubShard::broadcastMessage(Room& room, const protocol::ChatMessage& message) {
    const util::SteadyTime started = util::steadyNow();
    net::SharedFrame json = net::makeFrame(ws::Opcode::Text, protocol::encodeMessage(message));
    net::SharedFrame raw = room.rawMemberCount() > 0 ? net::makeFrame(ws::Opcode::Binary, message.text) : nullptr;
    if (auto* delivered = hub_.metrics().delivered) delivered->inc(room.memberCount());
    broadcast(room, json, raw, started);
}

void HubShard::execute(NickCommand& command) {
    Room* room = nullptr;
    const Member* member = memberFor(command.who, command.room, command.request_id, room);
    if (!member) return;
    const std::string old_nick = member->nick;
    if (old_nick == command.nick) return;
    if (!room->isLocal()) {
        renameShared(*room, command, old_nick);
        return;
    }
    if (!room->renameMember(command.who.id, command.nick)) {
        sendError(command.who, "nick_taken", "nick '" + command.nick + "' is taken in room '" + room->name() + "'",
                  command.request_id);
        return;
    }
    hub_.withSession(command.who.id, [nick = command.nick](Session& session) { session.onNickChanged(nick); });
    broadcastPresence(*room, "nick", command.nick, old_nick, room->memberCount());
}

void HubShard::execute(LeaveCommand& command) {
    Room* room = findRoom(command.room);
    if (!room) return;
    const Member* member = room->findMember(command.who.id);
    if (!member) return;
    const bool was_joining = member->joining;  // plugins never heard of its join
    const auto nick = room->removeMember(command.who.id);
    if (!room->isLocal())
        leaveShared(*room, command.who, *nick);
    else
        broadcastPresence(*room, "leave", *nick, std::nullopt, room->memberCount());
    if (auto pipeline = hub_.pipeline(); pipeline && !was_joining)
        pipeline->onLeave({command.who.id, std::to_string(command.who.id), room->name(), *nick});
}

void HubShard::broadcast(Room& room, const net::SharedFrame& json, const net::SharedFrame& raw,
                         util::SteadyTime started) {
    const auto& per_loop = room.membersPerLoop();
    for (unsigned loop = 0; loop < per_loop.size(); ++loop)
        if (per_loop[loop] > 0) hub_.deliverOnLoop(loop, room.name(), json, raw, started);
}

void HubShard::broadcastPresence(Room& room, std::string_view event, std::string_view nick,
                                 std::optional<std::string_view> old_nick, std::size_t count) {
    if (room.memberCount() == room.rawMemberCount()) return;  // nobody to tell
    broadcast(room,
              net::makeFrame(ws::Opcode::Text, protocol::encodePresence(room.name(), event, nick, old_nick, count)),
              nullptr);
}

void HubShard::sendError(const SessionRef& who, std::string_view code, std::string_view reason,
                         const std::optional<std::string>& request_id) {
    if (who.mode == Mode::Raw) {  // raw mode has no error channel: the reason is logged
        hub_.clientLog().raw_errors.log(spdlog::level::info, "raw session {}: {}: {}", who.id, code,
                                        util::LogText{reason});
        return;
    }
    std::optional<std::string_view> id;
    if (request_id) id = *request_id;
    hub_.sendToSession(who.id, net::makeFrame(ws::Opcode::Text, protocol::encodeError(code, reason, id)));
}

void HubShard::boundHistory(const ChatSettings& settings) {
    const std::size_t share = settings.history_total_bytes / hub_.shardCount();
    const std::size_t held = history_bytes_.load(std::memory_order_relaxed);
    if (held <= share) return;
    std::vector<Room*> rooms;
    rooms.reserve(rooms_.size());
    for (const auto& [name, room] : rooms_)
        if (!room->history().empty()) rooms.push_back(room.get());
    trimHistories(rooms, held - historyTrimTarget(share));
}

void HubShard::evictIdleRooms() {
    CHATD_ASSERT_OWNED(owner_);
    const auto cutoff = util::steadyNow() - kEmptyRoomTtl;
    std::erase_if(
        rooms_, [cutoff](const auto& entry) { return entry.second->empty() && entry.second->lastActivity() < cutoff; });
    room_count_.store(rooms_.size(), std::memory_order_relaxed);
}

}  // namespace chatd::chat
