#include "chat/room_output.h"

#include <spdlog/spdlog.h>

#include "chat/hub.h"
#include "chat/room.h"
#include "chat/session.h"
#include "chat/welcome_frame.h"
#include "metrics/instruments.h"
#include "plugin_host/pipeline.h"
#include "protocol/event_encoder.h"
#include "util/log_text.h"

namespace chatd::chat {

namespace {
std::string nickTakenReason(const Room& room, std::string_view nick) {
    return "nick '" + std::string(nick) + "' is taken in room '" + room.name() + "'";
}
}  // namespace

void RoomOutput::error(const SessionRef& who, std::string_view code, std::string_view reason,
                       const std::optional<std::string>& request_id) {
    if (who.mode == Mode::Raw) {  // raw mode has no error channel: the reason is logged
        hub_.clientLog().raw_errors.log(spdlog::level::info, "raw session {}: {}: {}", who.id, code,
                                        util::LogText{reason});
        return;
    }
    hub_.sendToSession(who.id, net::makeFrame(ws::Opcode::Text,
                                              protocol::encodeError(code, reason, protocol::optionalView(request_id))));
}

void RoomOutput::notInRoom(const SessionRef& who, std::string_view room,
                           const std::optional<std::string>& request_id) {
    error(who, "bad_request", "not in room '" + std::string(room) + "'", request_id);
}

void RoomOutput::nickTaken(const Room& room, const SessionRef& who, std::string_view nick,
                           const std::optional<std::string>& request_id) {
    error(who, "nick_taken", nickTakenReason(room, nick), request_id);
}

void RoomOutput::joinFailed(const SessionRef& who, std::uint64_t serial) {
    hub_.withSession(who.id, [serial](Session& session) { session.onJoinFailed(serial); });
}

void RoomOutput::joinRefused(const SessionRef& who, std::uint64_t serial, std::string_view code,
                             std::string_view reason, const std::optional<std::string>& request_id) {
    if (who.mode == Mode::Raw) {  // no error channel: logged by error()
        error(who, code, reason, request_id);
        return joinFailed(who, serial);
    }
    auto frame =
        net::makeFrame(ws::Opcode::Text, protocol::encodeError(code, reason, protocol::optionalView(request_id)));
    hub_.withSession(who.id, [serial, frame = std::move(frame)](Session& session) {
        session.onJoinFailed(serial);
        session.sendNotice(frame, frame);
    });
}

void RoomOutput::refuseJoin(const Room& room, const SessionRef& who, std::string_view nick,
                            const std::optional<std::string>& request_id, std::uint64_t serial) {
    joinRefused(who, serial, "nick_taken", nickTakenReason(room, nick), request_id);
}

void RoomOutput::welcome(const Room& room, const SessionRef& who, const std::string& nick, const WelcomeState& state,
                         std::uint64_t serial) {
    net::SharedFrame frame;
    if (who.mode == Mode::Json) {  // a raw client is never sent a welcome
        const auto settings = hub_.settings();
        const std::string session = std::to_string(who.id);
        const protocol::Welcome message{.session = session,
                                        .nick = nick,
                                        .room = room.name(),
                                        .epoch = state.epoch,
                                        .seq = state.seq,
                                        .users = state.users,
                                        .history_json = state.history_json,
                                        .recovered = state.recovered,
                                        .max_text_bytes = settings->max_text_bytes,
                                        .count = state.count,
                                        .users_complete = state.users.size() >= state.count};
        frame = makeWelcomeFrame(message, settings->send_queue_bytes);
    }
    Hub& hub = hub_;
    hub_.withSession(
        who.id,
        [name = room.name(), nick, frame = std::move(frame), serial](Session& session) {
            session.onJoined(name, nick, frame, serial);
        },
        // The session closed before the welcome arrived: take it out again.
        [&hub, who, name = room.name()] { hub.submit(LeaveCommand{who, name}); });
}

void RoomOutput::historyPage(const Room& room, const SessionRef& who, std::string_view epoch,
                             std::span<const std::string_view> messages_json, bool more,
                             const std::optional<std::string>& request_id) {
    if (who.mode != Mode::Json) return;  // raw clients cannot ask
    constexpr std::size_t kEnvelopeBytes = 128;  // field names, punctuation, `more`
    const std::size_t fixed = kEnvelopeBytes + room.name().size() + epoch.size() + (request_id ? request_id->size() : 0);
    const std::size_t first = firstThatFits(messages_json, messageBudget(fixed, hub_.settings()->send_queue_bytes));
    hub_.sendToSession(who.id, net::makeFrame(ws::Opcode::Text,
                                              protocol::encodeHistory(room.name(), epoch, messages_json.subspan(first),
                                                                      more || first > 0, protocol::optionalView(request_id))));
}

void RoomOutput::renamed(const SessionRef& who, const std::string& nick) {
    hub_.withSession(who.id, [nick](Session& session) { session.onNickChanged(nick); });
}

void RoomOutput::presenceNow(const Room& room, std::string_view event, std::string_view nick,
                             std::optional<std::string_view> old_nick, std::size_t count, std::string_view reason) {
    if (room.memberCount() == room.rawMemberCount()) return;  // nobody to tell
    toMembers(room,
              net::makeFrame(ws::Opcode::Text,
                             protocol::encodePresence(room.name(), event, nick, old_nick, count, reason)),
              nullptr, {});
}

void RoomOutput::usersPage(const Room& room, const SessionRef& who, std::span<const std::string> users,
                           const std::optional<std::string>& next, std::size_t count,
                           const std::optional<std::string>& request_id) {
    if (who.mode != Mode::Json) return;  // raw clients cannot ask
    hub_.sendToSession(who.id, net::makeFrame(ws::Opcode::Text,
                                              protocol::encodeUsers(protocol::UsersPage{
                                                  .room = room.name(),
                                                  .users = users,
                                                  .next = protocol::optionalView(next),
                                                  .count = count,
                                                  .id = protocol::optionalView(request_id)})));
}

void RoomOutput::kicked(const SessionRef& who, const std::string& room, const std::string& reason,
                        const std::string& by) {
    net::SharedFrame frame = who.mode == Mode::Json
                                 ? net::makeFrame(ws::Opcode::Text, protocol::encodeKicked(room, reason, by))
                                 : net::makeFrame(ws::Opcode::Binary, protocol::rawKickedText(room, reason, by));
    hub_.withSession(who.id, [room, frame = std::move(frame)](Session& session) { session.onKicked(room, frame); });
}

MessageFrames RoomOutput::encode(const Room& room, const protocol::ChatMessage& message) const {
    return MessageFrames{
        .json = net::makeFrame(ws::Opcode::Text, protocol::encodeMessage(message)),
        .raw = room.rawMemberCount() > 0 ? net::makeFrame(ws::Opcode::Binary, protocol::rawMessageText(message))
                                         : nullptr};
}

void RoomOutput::deliver(const Room& room, const MessageFrames& frames, util::SteadyTime started) {
    if (auto* delivered = hub_.metrics().delivered) delivered->inc(room.memberCount());
    toMembers(room, frames.json, frames.raw, started);
}

void RoomOutput::toMembers(const Room& room, const net::SharedFrame& json, const net::SharedFrame& raw,
                           util::SteadyTime started) {
    const auto& per_loop = room.membersPerLoop();
    for (unsigned loop = 0; loop < per_loop.size(); ++loop)
        if (per_loop[loop] > 0) hub_.deliverOnLoop(loop, room.name(), json, raw, started);
}

void RoomOutput::pluginsJoined(const Room& room, const SessionRef& who, const std::string& nick) {
    if (auto pipeline = hub_.pipeline()) pipeline->onJoin({who.id, std::to_string(who.id), room.name(), nick});
}

void RoomOutput::pluginsLeft(const Room& room, const SessionRef& who, const std::string& nick) {
    if (auto pipeline = hub_.pipeline()) pipeline->onLeave({who.id, std::to_string(who.id), room.name(), nick});
}

}  // namespace chatd::chat
