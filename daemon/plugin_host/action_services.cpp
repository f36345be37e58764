// The host services that act: post (rate-limited per instance against post
// loops), kick (and kick_banned), disconnect and broadcast (to the namesake
// on other instances). Each checks its arguments, hands the action
// to PluginActions (which queues it) and returns at once.
#include <exception>
#include <string>

#include <spdlog/spdlog.h>

#include "chatd/detail/utf8.hpp"
#include "plugin_host/host_services.h"
#include "plugin_host/plugin_actions.h"
#include "util/log_text.h"

namespace chatd::plugin_host::services {

namespace {

constexpr std::size_t kMaxCloseReasonBytes = 123;  // a WebSocket close frame's reason

bool utf8(chatd_str s) { return sdk::detail::isValidUtf8(view(s)); }

// Takes a post token; counts and logs (rate-limited) a refusal.
bool mayPost(HostContext& ctx) {
    const auto now = limits::TokenBucket::Clock::now();
    {
        std::lock_guard lock(ctx.posts.mutex);
        if (ctx.posts.bucket.tryTake(kPostsPerSecond, kPostBurst, now)) return true;
    }
    ctx.posts.refused.fetch_add(1, std::memory_order_relaxed);
    ctx.posts.log.log(*ctx.logger, spdlog::level::warn,
                      "post refused: more than {} posts a second (burst {}); is the plugin answering its own posts?",
                      kPostsPerSecond, kPostBurst);
    return false;
}

// `text` cut to at most `max` bytes, at a character boundary.
std::string cutUtf8(std::string_view text, std::size_t max) {
    if (text.size() <= max) return std::string(text);
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return std::string(text.substr(0, end));
}

}  // namespace

chatd_status post(chatd_host* host, chatd_str room, chatd_str from, chatd_str text) {
    HostContext& ctx = context(host);
    if (ctx.actions == nullptr || !utf8(room) || !utf8(from) || !utf8(text)) return CHATD_FAILED;
    if (room.size == 0 || from.size == 0 || text.size == 0) return CHATD_FAILED;
    try {
        if (!mayPost(ctx)) return CHATD_FAILED;
        std::string error = ctx.actions->post(PostRequest{.room = std::string(view(room)),
                                                          .from = std::string(view(from)),
                                                          .text = std::string(view(text)),
                                                          .origin = PostOrigin::Plugin,
                                                          .plugin = ctx.name});
        if (error.empty()) return CHATD_OK;
        ctx.posts.log.log(*ctx.logger, spdlog::level::warn, "post to '{}' refused: {}",
                          util::LogText{view(room), kPluginLogTextBytes}, error);
    } catch (const std::exception& e) {  // nothing may unwind into a plugin
        ctx.logger->error("post failed: {}", e.what());
    } catch (...) {
        ctx.logger->error("post failed");
    }
    return CHATD_FAILED;
}

namespace {
// kick and kick_banned: the leave's presence reason is "kicked" or "banned".
chatd_status kickAs(chatd_host* host, std::uint64_t session_id, chatd_str room, chatd_str reason, bool banned) {
    HostContext& ctx = context(host);
    if (ctx.actions == nullptr || room.size == 0 || !utf8(room) || !utf8(reason)) return CHATD_FAILED;
    try {
        ctx.actions->kick(KickRequest{.session_id = session_id,
                                      .room = std::string(view(room)),
                                      .reason = std::string(view(reason)),
                                      .by = ctx.name,
                                      .banned = banned});
        return CHATD_OK;
    } catch (...) {  // nothing may unwind into a plugin
        return CHATD_FAILED;
    }
}
}  // namespace

chatd_status kick(chatd_host* host, std::uint64_t session_id, chatd_str room, chatd_str reason) {
    return kickAs(host, session_id, room, reason, false);
}

chatd_status kickBanned(chatd_host* host, std::uint64_t session_id, chatd_str room, chatd_str reason) {
    return kickAs(host, session_id, room, reason, true);
}

chatd_status disconnect(chatd_host* host, std::uint64_t session_id, std::int32_t code, chatd_str reason) {
    HostContext& ctx = context(host);
    if (ctx.actions == nullptr || !utf8(reason)) return CHATD_FAILED;
    if (code != CHATD_CLOSE_DISCONNECTED && code != CHATD_CLOSE_BANNED) return CHATD_FAILED;
    try {
        ctx.actions->disconnect(session_id, static_cast<std::uint16_t>(code),
                                cutUtf8(view(reason), kMaxCloseReasonBytes));
        return CHATD_OK;
    } catch (...) {  // nothing may unwind into a plugin
        return CHATD_FAILED;
    }
}

chatd_status broadcast(chatd_host* host, chatd_str payload) {
    HostContext& ctx = context(host);
    if (ctx.actions == nullptr || payload.size > CHATD_BROADCAST_MAX_BYTES) return CHATD_FAILED;
    try {
        return ctx.actions->broadcast(ctx.name, std::string(view(payload))) ? CHATD_OK : CHATD_FAILED;
    } catch (...) {  // nothing may unwind into a plugin
        return CHATD_FAILED;
    }
}

}  // namespace chatd::plugin_host::services
