// The chatd C++ plugin SDK (header-only): derive from chatd::sdk::Plugin,
// override the hooks you need, and end the .cpp with
//
//     CHATD_PLUGIN(MyPlugin, "my_plugin");
//
// which emits the C entry point of plugin_abi.h, negotiates the ABI version
// and turns every exception thrown by a hook into the entry's on_error verdict
// (the daemon logs the exception's what() and counts it). Threading: the hooks
// of one instance are never called concurrently, but may run on different
// threads one after another (see plugin_abi.h). Tutorial: docs/plugins.md.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "chatd/plugin_abi.h"

namespace chatd::sdk {

enum class LogLevel : std::int32_t {
    Trace = CHATD_LOG_TRACE,
    Debug = CHATD_LOG_DEBUG,
    Info = CHATD_LOG_INFO,
    Warn = CHATD_LOG_WARN,
    Error = CHATD_LOG_ERROR,
    Critical = CHATD_LOG_CRITICAL,
};

namespace detail {
inline chatd_str toC(std::string_view s) { return chatd_str{s.data(), s.size()}; }
inline std::string_view fromC(chatd_str s) {
    return s.size == 0 ? std::string_view{} : std::string_view{s.data, s.size};
}
}  // namespace detail

// The daemon's services for one plugin instance. Safe to use from any thread
// (also the plugin's own threads) from init() until shutdown() returns.
class Host {
public:
    Host() = default;
    Host(const chatd_host_api* api, chatd_host* host, std::string instance_name)
        : api_(api), host_(host), name_(std::move(instance_name)) {}

    // Logs into the daemon's log under a logger named after the instance.
    void log(LogLevel level, std::string_view text) const {
        if (api_ != nullptr) api_->log(host_, static_cast<std::int32_t>(level), detail::toC(text));
    }
    void trace(std::string_view text) const { log(LogLevel::Trace, text); }
    void debug(std::string_view text) const { log(LogLevel::Debug, text); }
    void info(std::string_view text) const { log(LogLevel::Info, text); }
    void warn(std::string_view text) const { log(LogLevel::Warn, text); }
    void error(std::string_view text) const { log(LogLevel::Error, text); }

    // Sends `text` (valid UTF-8) to that session only. False if refused.
    bool reply(std::uint64_t session_id, std::string_view text) const {
        return api_ != nullptr && api_->reply(host_, session_id, detail::toC(text)) == CHATD_OK;
    }

    // The entry's `name:` in the daemon's YAML.
    const std::string& instanceName() const { return name_; }
    const chatd_host_api* api() const { return api_; }
    chatd_host* handle() const { return host_; }

private:
    const chatd_host_api* api_ = nullptr;
    chatd_host* host_ = nullptr;
    std::string name_;
};

// A view of the chat message being processed; valid during the hook only
// (copy what you keep: the string_views point into the daemon's memory).
class Message {
public:
    Message(const Host& host, chatd_message* msg) : host_(&host), msg_(msg) {}

    std::string_view text() const { return detail::fromC(host_->api()->message_text(msg_)); }
    std::string_view room() const { return detail::fromC(host_->api()->message_room(msg_)); }
    std::string_view nick() const { return detail::fromC(host_->api()->message_nick(msg_)); }
    std::string_view session() const { return detail::fromC(host_->api()->message_session(msg_)); }
    std::uint64_t sessionId() const { return host_->api()->message_session_id(msg_); }

    // Replaces the text for the following plugins and the room (the daemon
    // copies it). Throws std::invalid_argument if refused (not valid UTF-8).
    void setText(std::string_view text) {
        if (host_->api()->message_set_text(msg_, detail::toC(text)) != CHATD_OK)
            throw std::invalid_argument("the daemon refused the replaced text (not valid UTF-8?)");
    }

    // Sends `text` to the sender of this message only.
    bool reply(std::string_view text) const { return host_->reply(sessionId(), text); }

private:
    const Host* host_;
    chatd_message* msg_;
};

enum class VerdictKind : std::int32_t {
    Continue = CHATD_VERDICT_CONTINUE,
    Drop = CHATD_VERDICT_DROP,
    Reject = CHATD_VERDICT_REJECT,
};

// What onMessage decides. Reject's code is "rejected" or "rate_limited" (the
// error code the sender gets); its reason is the text the sender reads.
struct Verdict {
    VerdictKind kind = VerdictKind::Continue;
    std::string code;
    std::string reason;

    static Verdict pass() { return {}; }
    static Verdict drop() { return {VerdictKind::Drop, {}, {}}; }
    static Verdict reject(std::string reason) { return {VerdictKind::Reject, "rejected", std::move(reason)}; }
    static Verdict rateLimited(std::string reason) { return {VerdictKind::Reject, "rate_limited", std::move(reason)}; }
};

// A session entering or leaving a room; valid during the hook only.
struct SessionEvent {
    std::uint64_t session_id = 0;  // what Host::reply takes
    std::string_view session;      // the session id as clients see it
    std::string_view room;
    std::string_view nick;
};

namespace detail {
struct Access;
}

// Base class of every plugin. The SDK default-constructs the class, then
// calls init() (or reload()); host() is usable from init() on. A hook that
// throws is contained: the daemon applies the entry's on_error and logs it.
class Plugin {
public:
    virtual ~Plugin() = default;

    // The entry's `config:` subtree (a null node when absent). Throw to refuse
    // the config: the message becomes "init failed: <what()>".
    virtual void init(const YAML::Node& config) { (void)config; }

    // Instead of init() when the daemon reloads: `previous` is the running
    // instance of the same class (cast it with static_cast), locked for the
    // duration of the call and still serving in-flight messages afterwards, so
    // copy state from it, don't move it away. Default: init(config).
    virtual void reload(const YAML::Node& config, Plugin& previous) {
        (void)previous;
        init(config);
    }

    // Decide on one message. Default: let it pass.
    virtual Verdict onMessage(Message& msg) {
        (void)msg;
        return Verdict::pass();
    }

    // See the final decision of the whole pipeline on a message (the text as
    // it was decided on; decided_by names the instance that dropped/rejected).
    virtual void onVerdict(const Message& msg, const Verdict& verdict, std::string_view decided_by) {
        (void)msg, (void)verdict, (void)decided_by;
    }

    virtual void onJoin(const SessionEvent& event) { (void)event; }
    virtual void onLeave(const SessionEvent& event) { (void)event; }

    // Last call before destruction: stop threads, flush files. Exceptions are
    // logged and otherwise ignored.
    virtual void shutdown() {}

    const Host& host() const { return host_; }

private:
    friend struct detail::Access;
    Host host_;
};

}  // namespace chatd::sdk

#include "chatd/detail/adapter.hpp"

// Emits the plugin's C entry point for PluginClass (default-constructible,
// derived from chatd::sdk::Plugin). Use once per plugin library.
#define CHATD_PLUGIN(PluginClass, plugin_name)                                                                \
    static_assert(std::is_base_of_v<::chatd::sdk::Plugin, PluginClass>,                                       \
                  "CHATD_PLUGIN: " #PluginClass " must derive from chatd::sdk::Plugin");                      \
    extern "C" __attribute__((visibility("default"))) const chatd_plugin_api* chatd_plugin_entry(             \
        const uint32_t* offered, size_t offered_count, uint32_t* plugin_abi) {                                \
        return ::chatd::sdk::detail::negotiate<PluginClass>(plugin_name, offered, offered_count, plugin_abi); \
    }                                                                                                         \
    static_assert(true, "")
