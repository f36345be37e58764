// The daemon side of the plugin ABI's chatd_host_api: what a chatd_host* and
// a chatd_message* point to, and the table of services handed to plugins.
// The services live in host_services.cpp (log, message, notice),
// session_services.cpp (session_info, find_session), action_services.cpp
// (post, kick, disconnect, broadcast) and custom metrics in custom_metrics.cpp.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <spdlog/logger.h>

#include "chatd/plugin_abi.h"
#include "limits/token_bucket.h"
#include "plugin_host/custom_metrics.h"
#include "plugin_host/pipeline.h"
#include "util/log_throttle.h"

namespace chatd::plugin_host {

// A plugin's log line or error may quote what a client sent: it is logged as
// util::LogText (escaped), cut at this many bytes.
inline constexpr std::size_t kPluginLogTextBytes = 1024;

// How fast one instance may post (token bucket): beyond, post fails (a post loop).
inline constexpr double kPostsPerSecond = 20;
inline constexpr double kPostBurst = 100;

// The post rate limit of one instance, with the count and the log of refusals.
struct PostLimiter {
    std::mutex mutex;
    limits::TokenBucket bucket{kPostBurst, limits::TokenBucket::Clock::now()};
    std::atomic<std::uint64_t> refused{0};
    util::LogThrottle log;  // refusals and failed posts: at most one line a second
};

// What a chatd_host* points to: one plugin instance's link to the daemon.
// Lives from before init until after shutdown returns.
struct HostContext {
    HostContext(std::string name_, std::shared_ptr<spdlog::logger> logger_, const PluginEnvironment& env,
                metrics::Family<metrics::Gauge>* custom_family)
        : name(std::move(name_)), logger(std::move(logger_)), actions(env.actions), custom(name, custom_family) {}

    std::string name;                        // the entry's name
    std::shared_ptr<spdlog::logger> logger;  // named after the entry
    PluginActions* actions;                  // null: the acting services fail
    PostLimiter posts;
    CustomMetrics custom;
};

// What a chatd_message* points to during one hook call.
struct MessageHandle {
    MessageContext* msg;
    bool writable;          // true only during on_message
    bool replaced = false;  // set_text was called during this hook
    std::string original;   // the text before the first set_text (to undo a failed hook)
};

// The service table (static, valid for the whole process).
const chatd_host_api* hostServices();

inline chatd_host* toHandle(HostContext* ctx) { return reinterpret_cast<chatd_host*>(ctx); }
inline chatd_message* toHandle(MessageHandle* msg) { return reinterpret_cast<chatd_message*>(msg); }
inline HostContext& context(chatd_host* host) { return *reinterpret_cast<HostContext*>(host); }

// The service functions of the other files, for the table.
namespace services {
chatd_status sessionInfo(chatd_host* host, std::uint64_t session_id, chatd_session_info* out);
chatd_status findSession(chatd_host* host, chatd_str room, chatd_str nick, std::uint64_t* session_id);
chatd_status post(chatd_host* host, chatd_str room, chatd_str from, chatd_str text);
chatd_status kick(chatd_host* host, std::uint64_t session_id, chatd_str room, chatd_str reason);
chatd_status disconnect(chatd_host* host, std::uint64_t session_id, std::int32_t code, chatd_str reason);
chatd_status broadcast(chatd_host* host, chatd_str payload);
chatd_status kickBanned(chatd_host* host, std::uint64_t session_id, chatd_str room, chatd_str reason);
}  // namespace services

inline std::string_view view(chatd_str s) {
    return s.size == 0 ? std::string_view{} : std::string_view{s.data, s.size};
}
inline chatd_str str(std::string_view s) { return chatd_str{s.data(), s.size()}; }

}  // namespace chatd::plugin_host
