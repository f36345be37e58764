#include "chat/hub_shard.h"

#include <spdlog/spdlog.h>

#include "chat/hub.h"
#include "limits/limit_events.h"
#include "metrics/instruments.h"
#include "plugin_host/pipeline.h"
#include "protocol/events.h"
#include "util/log_text.h"
#include "util/loop_failure.h"
#include "util/thread_setup.h"
#include "ws/utf8.h"

namespace chatd::chat {

namespace {
// An empty room keeps its history (for clients resuming with `since`) this long.
constexpr auto kEmptyRoomTtl = std::chrono::minutes(10);
constexpr auto kSweepInterval = std::chrono::seconds(30);
}  // namespace

HubShard::HubShard(Hub& hub, unsigned index)
    : hub_(hub),
      index_(index),
      rooms_(hub.loopCount()),
      output_(hub),
      local_(hub, output_, rooms_),
      shared_(hub, output_, rooms_, local_) {}

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

std::size_t HubShard::costOf(const HubCommand& command) {
    return std::visit(
        [](const auto& c) -> std::size_t {
            std::size_t bytes = sizeof(HubCommand);
            if constexpr (requires { c.room; }) bytes += c.room.size();
            if constexpr (requires { c.text; }) bytes += c.text.size();
            return bytes;
        },
        command);
}

void HubShard::post(HubCommand command) {
    queued_bytes_.fetch_add(costOf(command), std::memory_order_relaxed);
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(command));
    }
    wake_.notify_one();
}

void HubShard::probe(std::function<void()> answer) {
    {
        std::lock_guard lock(mutex_);
        probes_.push_back(std::move(answer));
    }
    wake_.notify_one();
}

// The commands were counted when they were held (countHeld).
void HubShard::postAll(std::vector<HubCommand>& commands) {
    {
        std::lock_guard lock(mutex_);
        if (queue_.empty()) {
            queue_.swap(commands);
        } else {
            for (HubCommand& command : commands) queue_.push_back(std::move(command));
        }
    }
    commands.clear();
    wake_.notify_one();
}

void HubShard::run() {
    util::nameThisThread("chatd-hub-" + std::to_string(index_));
    rooms_.bindToCurrentThread();
    const std::string name = "hub shard " + std::to_string(index_);
    std::vector<HubCommand> batch;
    std::vector<std::function<void()>> probes;
    auto next_sweep = util::steadyNow() + kSweepInterval;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait_until(lock, std::min(next_sweep, output_.nextPresenceDue()),
                             [this] { return stopping_ || !queue_.empty() || !probes_.empty(); });
            if (queue_.empty() && stopping_) break;
            batch.swap(queue_);
            probes.swap(probes_);
        }
        // A command that throws is reported and the next one runs (util/loop_failure.h).
        std::size_t batch_bytes = 0;
        for (HubCommand& command : batch) {
            batch_bytes += costOf(command);  // before it runs: it may move its strings out
            util::runGuarded(name, [&] { std::visit([this](auto& c) { execute(c); }, command); });
        }
        queued_bytes_.fetch_sub(batch_bytes, std::memory_order_relaxed);
        // The batch's messages are kept before they are sent: a store may
        // commit them here (their StoredCommands come back to this queue).
        if (MessageStore* store = hub_.messageStore()) util::runGuarded(name, [store] { store->commitQueued(); });
        batch.clear();  // releases the sessions' pending tickets (pending_commands.h)
        util::runGuarded(name, [this] { flushDuePresence(); });
        for (auto& answer : probes) answer();
        probes.clear();
        if (util::steadyNow() >= next_sweep) {
            rooms_.evictIdle(util::steadyNow() - kEmptyRoomTtl);
            next_sweep = util::steadyNow() + kSweepInterval;
        }
    }
    rooms_.unbind();
}

RoomOrdering& HubShard::orderingOf(const Room& room) {
    if (room.isLocal()) return local_;
    return shared_;
}

const Member* HubShard::memberFor(const SessionRef& who, const std::string& room_name,
                                  const std::optional<std::string>& request_id, Room*& room) {
    room = rooms_.find(room_name);
    const Member* member = room ? room->findMember(who.id) : nullptr;
    if (!member) output_.notInRoom(who, room_name, request_id);
    return member;
}

bool HubShard::nickHeldByAnother(const Room& room, const SessionRef& who, const std::string& nick,
                                 const std::optional<std::string>& request_id) {
    const auto owner = room.nickOwner(nick);
    if (!owner || *owner == who.id) return false;
    output_.nickTaken(room, who, nick, request_id);
    return true;
}

std::string HubShard::uniqueGuestNick(const Room& room) {
    for (;;) {
        std::string nick = hub_.nextGuestNick();
        if (!room.nickOwner(nick)) return nick;
    }
}

bool HubShard::roomCountAllowsNew() {
    const auto settings = hub_.settings();
    if (hub_.roomCount() < settings->max_rooms) return true;
    // Empty rooms wait out a grace period before they go; under pressure, now.
    // (A shared room's state lives in the bus too: those wait for the sweep.)
    rooms_.eraseIf([](const Room& candidate) { return candidate.empty() && candidate.isLocal(); });
    return hub_.roomCount() < settings->max_rooms;
}

Room& HubShard::openRoom(const std::string& name) {
    return shared_.sharing() ? rooms_.findOrCreate(name, Ordering::Syncing)
                             : rooms_.findOrCreate(name, Ordering::Local,
                                                   [this](Room& created) { local_.restore(created); });
}

bool HubShard::roomLimitsAllow(const JoinCommand& command, const Room* room, bool already_member) {
    const auto settings = hub_.settings();
    std::string_view code;
    std::string reason;
    limits::Limit limit = limits::Limit::Rooms;
    if (!room && !roomCountAllowsNew()) {
        code = "too_many_rooms";
        reason = "the server holds its limit of " + std::to_string(settings->max_rooms) + " rooms";
    } else if (room && !already_member && room->memberCount() >= settings->max_room_users) {
        code = "room_full";
        reason = "room '" + room->name() + "' has its limit of " + std::to_string(settings->max_room_users) + " users";
        limit = limits::Limit::RoomUsers;
    }
    if (code.empty()) return true;
    if (auto* events = hub_.metrics().limit_events) events->hit(limit, reason);
    output_.joinRefused(command.who, command.serial, code, reason, command.request_id);
    return false;
}

// Every answer carries the join's serial so that the session can tell the
// last join it sent from earlier ones (join_tracker.h).
void HubShard::execute(JoinCommand& command) {
    if (!admitted(command)) return;
    {
        const Room* found = rooms_.find(command.room);
        if (!roomLimitsAllow(command, found, found && found->findMember(command.who.id))) return;
    }
    Room& room = openRoom(command.room);
    const Member* existing = room.findMember(command.who.id);
    std::string old_nick = existing ? existing->nick : std::string();
    const bool guest = command.nick.empty() && !existing;
    if (command.nick.empty()) command.nick = existing ? existing->nick : uniqueGuestNick(room);
    if (const auto owner = room.nickOwner(command.nick); owner && *owner != command.who.id) {
        output_.refuseJoin(room, command.who, command.nick, command.request_id, command.serial);
        return;
    }
    orderingOf(room).join(room,
                          JoinRequest{.command = std::move(command), .old_nick = std::move(old_nick), .guest = guest});
}

void HubShard::execute(MessageCommand& command) {
    Room* room = nullptr;
    const Member* member = memberFor(command.who, command.room, command.request_id, room);
    if (!member) return;
    const util::SteadyTime started = util::steadyNow();
    if (auto* received = command.who.mode == Mode::Raw ? hub_.metrics().received_raw : hub_.metrics().received_json)
        received->inc();
    std::string text = std::move(command.text);
    if (!judge(command, *room, *member, text)) return;
    // The plugins ran here, once; a shared room's other instances never run them.
    orderingOf(*room).publish(*room, MemberMessage{.member = *member,
                                                   .text = std::move(text),
                                                   .request_id = std::move(command.request_id),
                                                   .started = started});
}

bool HubShard::judge(const MessageCommand& command, const Room& room, const Member& member, std::string& text) {
    auto pipeline = hub_.pipeline();
    if (!pipeline) return true;
    const std::string session = std::to_string(command.who.id);
    plugin_host::MessageContext context{command.who.id, session, room.name(), member.nick, std::move(text), {}};
    const plugin_host::Verdict verdict = pipeline->onMessage(context);
    if (verdict.kind == plugin_host::VerdictKind::Drop) {
        hub_.clientLog().plugin_drops.log(spdlog::level::debug, "message from {} in {} dropped by plugin {}",
                                          member.nick, room.name(), verdict.plugin);
        return false;
    }
    if (verdict.kind == plugin_host::VerdictKind::Reject) {
        hub_.clientLog().plugin_rejections.log(spdlog::level::info, "message from {} in {} rejected by plugin {}: {}",
                                               member.nick, room.name(), verdict.plugin,
                                               util::LogText{verdict.reason});
        output_.error(command.who, verdict.code.empty() ? "rejected" : verdict.code, verdict.reason,
                      command.request_id);
        return false;
    }
    text = std::move(context.text);
    if (text.empty() || !ws::isValidUtf8(text)) {
        hub_.clientLog().plugin_output.log(
            spdlog::level::err, "plugin pipeline produced empty or invalid UTF-8 text; message from {} dropped",
            member.nick);
        if (auto* ignored = hub_.metrics().ignored_plugin_output) ignored->inc();
        return false;
    }
    return true;
}

void HubShard::execute(NickCommand& command) {
    Room* room = nullptr;
    const Member* member = memberFor(command.who, command.room, command.request_id, room);
    if (!member || member->nick == command.nick) return;
    if (nickHeldByAnother(*room, command.who, command.nick, command.request_id)) return;
    orderingOf(*room).rename(*room, RenameRequest{.who = command.who,
                                                  .nick = std::move(command.nick),
                                                  .old_nick = member->nick,
                                                  .request_id = std::move(command.request_id)});
}

void HubShard::execute(HistoryCommand& command) {
    Room* room = nullptr;
    if (memberFor(command.who, command.room, command.request_id, room)) orderingOf(*room).history(*room, command);
}

void HubShard::flushDuePresence() {
    const util::SteadyTime now = util::steadyNow();
    for (const std::string& name : output_.takeDuePresence(now))
        if (Room* room = rooms_.find(name)) output_.flushPresence(*room, now);
}

// Pages through the members this instance knows of (a shared room: its own
// members and those the bus announced, room.h).
void HubShard::execute(UsersCommand& command) {
    Room* room = nullptr;
    if (!memberFor(command.who, command.room, command.request_id, room)) return;
    const UsersPage page = room->usersPage(command.after, command.limit);
    output_.usersPage(*room, command.who, page.users, page.next, room->knownMemberCount(), command.request_id);
}

void HubShard::execute(LeaveCommand& command) {
    Room* room = rooms_.find(command.room);
    const Member* member = room ? room->findMember(command.who.id) : nullptr;
    if (!member) return;
    const bool was_joining = member->joining;  // plugins never heard of its join
    const std::string nick = *room->removeMember(command.who.id);
    orderingOf(*room).left(*room, command.who, nick,
                           command.banned ? protocol::leave_reason::kBanned : std::string_view());
    if (!was_joining) output_.pluginsLeft(*room, command.who, nick);
}

void HubShard::execute(StoredCommand& command) {
    // A room waits out a grace period before it goes: one that went meanwhile had nobody to tell.
    if (Room* room = rooms_.find(command.room); room && room->isLocal()) local_.onStored(*room, command);
}

void HubShard::execute(BusEventCommand& command) {
    if (Room* room = rooms_.find(command.room)) shared_.onEvent(*room, *command.event);  // else: no member here
}

void HubShard::execute(BusStateCommand& command) { shared_.onSharingChanged(command.sharing); }

}  // namespace chatd::chat
