// HubShard: what plugins and the operator do to a room (PostCommand,
// KickCommand) and the plugins' say on who may join (on_join_request).
// All of it runs on the shard's thread: a plugin asks from any thread, the
// hub only queues (hub.h), so no hook is ever re-entered.
#include <spdlog/spdlog.h>

#include "chat/hub.h"
#include "chat/hub_shard.h"
#include "metrics/instruments.h"
#include "plugin_host/pipeline.h"
#include "protocol/events.h"
#include "protocol/names.h"
#include "util/log_text.h"
#include "ws/utf8.h"

namespace chatd::chat {

namespace {
std::string_view originName(PostOrigin origin) {
    return origin == PostOrigin::Admin ? protocol::message_origin::kAdmin : protocol::message_origin::kPlugin;
}
}  // namespace

// A session already in the room (joining it again, maybe under a new nick)
// was admitted when it entered; only a join into a room it is not in asks.
bool HubShard::admitted(const JoinCommand& command) {
    auto pipeline = hub_.pipeline();
    if (!pipeline || !pipeline->hasJoinRequestHooks()) return true;
    if (const Room* room = rooms_.find(command.room); room && room->findMember(command.who.id)) return true;
    const std::optional<SessionEntry> entry = hub_.directory().find(command.who.id);
    const std::string session = std::to_string(command.who.id);
    const plugin_host::Admission admission =
        pipeline->onJoinRequest(plugin_host::JoinRequestEvent{.session_id = command.who.id,
                                                              .session = session,
                                                              .room = command.room,
                                                              .nick = command.nick,  // "": a guest nick follows
                                                              .address = entry ? entry->address : std::string_view(),
                                                              .claims_json = entry ? entry->claims_json
                                                                                   : std::string_view()});
    if (admission.admitted) return true;
    hub_.clientLog().plugin_rejections.log(spdlog::level::info, "join of session {} into {} refused by plugin {}: {}",
                                           command.who.id, command.room, admission.plugin,
                                           util::LogText{admission.reason});
    const std::string_view code = admission.code == protocol::error_code::kBanned ? protocol::error_code::kBanned
                                                                                  : protocol::error_code::kForbidden;
    output_.joinRefused(command.who, command.serial, code, admission.reason, command.request_id);
    return false;
}

// A post is judged by the plugins after the poster, then numbered, kept and
// delivered like a member's message. A room this shard does not hold yet is
// opened for it (so the post is in the room's history, and in the store when
// there is one; an empty room goes after its grace period like any other),
// except a shared room: Redis keeps it and delivers it to the instances with
// members. Nobody is told when the plugins drop it or the room cannot open.
void HubShard::execute(PostCommand& command) {
    const std::string_view origin = originName(command.origin);
    if (!protocol::isValidRoom(command.room) || !protocol::isValidNick(command.from) || command.text.empty() ||
        !ws::isValidUtf8(command.text)) {
        hub_.clientLog().posts_refused.log(spdlog::level::warn, "post by {} into {} refused: bad room, from or text",
                                           util::LogText{command.from}, util::LogText{command.room});
        return;
    }
    const util::SteadyTime started = util::steadyNow();
    std::string text = std::move(command.text);
    if (!judge(command, text)) return;
    PostedMessage message{.from = std::move(command.from), .text = std::move(text), .origin = origin, .started = started};
    if (Room* room = rooms_.find(command.room)) return orderingOf(*room).post(*room, std::move(message));
    if (shared_.sharing()) return shared_.postWithoutRoom(command.room, std::move(message));
    if (!roomCountAllowsNew()) {
        hub_.clientLog().posts_refused.log(spdlog::level::warn,
                                           "post by {} into {} dropped: the server holds its limit of rooms",
                                           message.from, command.room);
        return;
    }
    Room& room = openRoom(command.room);
    orderingOf(room).post(room, std::move(message));
}

bool HubShard::judge(const PostCommand& command, std::string& text) {
    auto pipeline = hub_.pipeline();
    if (!pipeline) return true;
    plugin_host::MessageContext context{.session_id = 0,
                                        .session = {},
                                        .room = command.room,
                                        .nick = command.from,
                                        .text = std::move(text),
                                        .origin = originName(command.origin)};
    const plugin_host::Verdict verdict = pipeline->onMessage(context, command.plugin);
    if (verdict.kind != plugin_host::VerdictKind::Continue) {
        hub_.clientLog().plugin_drops.log(spdlog::level::debug, "post by {} into {} {} by plugin {}", command.from,
                                          command.room,
                                          verdict.kind == plugin_host::VerdictKind::Drop ? "dropped" : "rejected",
                                          verdict.plugin);
        return false;
    }
    text = std::move(context.text);
    if (text.empty() || !ws::isValidUtf8(text)) {
        hub_.clientLog().plugin_output.log(
            spdlog::level::err, "plugin pipeline produced empty or invalid UTF-8 text; post by {} dropped", command.from);
        if (auto* ignored = hub_.metrics().ignored_plugin_output) ignored->inc();
        return false;
    }
    return true;
}

// The kicked member leaves like one that left by itself (presence `leave`,
// now with reason "kicked", or "banned" for a room ban; on_leave for the plugins), and its session hears
// why. A join of it still waiting for Redis is refused instead.
void HubShard::execute(KickCommand& command) {
    Room* room = rooms_.find(command.room);
    const Member* member = room ? room->findMember(command.session_id) : nullptr;
    if (!member) {
        spdlog::debug("kick of session {} from {}: not a member (any more)", command.session_id, command.room);
        return;
    }
    const SessionRef who = member->ref;
    const bool was_joining = member->joining;  // plugins never heard of its join
    std::vector<std::uint64_t> pending_joins;
    for (const auto& [token, join] : room->sharing().joins)
        if (join.who.id == who.id) pending_joins.push_back(join.serial);
    const std::string nick = *room->removeMember(who.id);
    spdlog::info("session {} ({}) kicked from {} by {}: {}", who.id, nick, room->name(), util::LogText{command.by},
                 util::LogText{command.reason});
    orderingOf(*room).left(*room, who, nick,
                           command.banned ? protocol::leave_reason::kBanned : protocol::leave_reason::kKicked);
    if (!was_joining) output_.pluginsLeft(*room, who, nick);
    output_.kicked(who, room->name(), command.reason, command.by);
    for (const std::uint64_t serial : pending_joins) output_.joinFailed(who, serial);
}

// A member here is kicked at once; one elsewhere by its instance (the bus
// reports the kick to every instance, SharedOrdering hands it back here as a
// KickCommand on the one holding the nick).
void HubShard::execute(KickNickCommand& command) {
    if (Room* room = rooms_.find(command.room)) {
        const auto owner = room->nickOwner(command.nick);
        if (const Member* member = owner ? room->findMember(*owner) : nullptr; member && !member->joining) {
            KickCommand kick{.session_id = member->ref.id,
                             .room = command.room,
                             .reason = std::move(command.reason),
                             .by = std::move(command.by)};
            return execute(kick);
        }
    }
    if (!shared_.sharing()) {
        spdlog::debug("kick of {} from {}: nobody holds that nick here", command.nick, command.room);
        return;
    }
    hub_.bus().kick(bus::KickRequest{.room = std::move(command.room),
                                     .nick = std::move(command.nick),
                                     .reason = std::move(command.reason),
                                     .by = std::move(command.by)});
}

}  // namespace chatd::chat
