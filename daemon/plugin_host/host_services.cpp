// The services plugins call back into: logging through spdlog, reading and
// replacing the message, replying to one session. Every string a plugin passes
// is checked (UTF-8) and copied before the call returns.
#include "plugin_host/host_services.h"

#include <algorithm>
#include <exception>
#include <string_view>

#include "chatd/detail/utf8.hpp"
#include "util/log_text.h"

namespace chatd::plugin_host {

namespace {

std::string_view view(chatd_str s) { return s.size == 0 ? std::string_view{} : std::string_view{s.data, s.size}; }
chatd_str str(std::string_view s) { return chatd_str{s.data(), s.size()}; }

HostContext& context(chatd_host* host) { return *reinterpret_cast<HostContext*>(host); }
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

chatd_status reply(chatd_host* host, std::uint64_t session_id, chatd_str text) {
    if (!sdk::detail::isValidUtf8(view(text))) return CHATD_FAILED;
    const HostContext& ctx = context(host);
    try {
        if (ctx.reply) ctx.reply(session_id, ctx.name, view(text));
        return CHATD_OK;
    } catch (const std::exception& e) {  // nothing may unwind into a plugin
        ctx.logger->error("delivering a reply failed: {}", e.what());
    } catch (...) {
        ctx.logger->error("delivering a reply failed");
    }
    return CHATD_FAILED;
}

}  // namespace

const chatd_host_api* hostServices() {
    static const chatd_host_api api{
        sizeof(chatd_host_api), &log,     &messageText, &messageRoom, &messageNick, &messageSession,
        &messageSessionId,      &setText, &reply,
    };
    return &api;
}

}  // namespace chatd::plugin_host
