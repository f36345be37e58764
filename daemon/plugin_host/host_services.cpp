// The services plugins call back into: logging through spdlog, reading and
// replacing the message, notices to one session, custom metrics, and the
// table of every service. Every string a plugin passes is checked (UTF-8)
// and copied before the call returns.
#include "plugin_host/host_services.h"

#include <algorithm>
#include <exception>
#include <string_view>

#include "chatd/detail/utf8.hpp"
#include "plugin_host/plugin_actions.h"
#include "util/log_text.h"

namespace chatd::plugin_host {

namespace {

const MessageHandle& message(const chatd_message* msg) { return *reinterpret_cast<const MessageHandle*>(msg); }
MessageHandle& message(chatd_message* msg) { return *reinterpret_cast<MessageHandle*>(msg); }

void log(chatd_host* host, std::int32_t level, chatd_str text) {
    const auto lvl = static_cast<spdlog::level::level_enum>(std::clamp<std::int32_t>(level, 0, 5));
    try {
        context(host).logger->log(lvl, "{}", util::LogText{view(text), kPluginLogTextBytes});
    } catch (...) {  // nothing may unwind into a plugin
    }
}

chatd_str messageText(const chatd_message* msg) { return str(message(msg).msg->text); }
chatd_str messageRoom(const chatd_message* msg) { return str(message(msg).msg->room); }
chatd_str messageNick(const chatd_message* msg) { return str(message(msg).msg->nick); }
chatd_str messageSession(const chatd_message* msg) { return str(message(msg).msg->session); }
std::uint64_t messageSessionId(const chatd_message* msg) { return message(msg).msg->session_id; }
chatd_str messageOrigin(const chatd_message* msg) { return str(message(msg).msg->origin); }

chatd_status setText(chatd_message* msg, chatd_str text) {
    MessageHandle& handle = message(msg);
    if (!handle.writable || !sdk::detail::isValidUtf8(view(text))) return CHATD_FAILED;
    if (!handle.replaced) {
        handle.original = handle.msg->text;
        handle.replaced = true;
    }
    handle.msg->text.assign(view(text));
    return CHATD_OK;
}

// reply and notice: a notice from this instance to one session.
chatd_status notice(chatd_host* host, std::uint64_t session_id, chatd_str text) {
    const HostContext& ctx = context(host);
    if (ctx.actions == nullptr || !sdk::detail::isValidUtf8(view(text))) return CHATD_FAILED;
    try {
        ctx.actions->notice(session_id, ctx.name, view(text));
        return CHATD_OK;
    } catch (const std::exception& e) {  // nothing may unwind into a plugin
        ctx.logger->error("delivering a notice failed: {}", e.what());
    } catch (...) {
        ctx.logger->error("delivering a notice failed");
    }
    return CHATD_FAILED;
}

chatd_status metricAdd(chatd_host* host, chatd_str name, chatd_str label, double delta) {
    try {
        return context(host).custom.add(view(name), view(label), delta) ? CHATD_OK : CHATD_FAILED;
    } catch (...) {  // nothing may unwind into a plugin
        return CHATD_FAILED;
    }
}

chatd_status metricSet(chatd_host* host, chatd_str name, chatd_str label, double value) {
    try {
        return context(host).custom.set(view(name), view(label), value) ? CHATD_OK : CHATD_FAILED;
    } catch (...) {
        return CHATD_FAILED;
    }
}

}  // namespace

const chatd_host_api* hostServices() {
    static const chatd_host_api api{
        .struct_size = sizeof(chatd_host_api),
        .log = &log,
        .message_text = &messageText,
        .message_room = &messageRoom,
        .message_nick = &messageNick,
        .message_session = &messageSession,
        .message_session_id = &messageSessionId,
        .message_set_text = &setText,
        .reply = &notice,
        .message_origin = &messageOrigin,
        .session_info = &services::sessionInfo,
        .find_session = &services::findSession,
        .post = &services::post,
        .kick = &services::kick,
        .disconnect = &services::disconnect,
        .notice = &notice,
        .metric_add = &metricAdd,
        .metric_set = &metricSet,
        .broadcast = &services::broadcast,
        .kick_banned = &services::kickBanned,
    };
    return &api;
}

}  // namespace chatd::plugin_host
