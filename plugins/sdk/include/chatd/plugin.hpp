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
#include <vector>

#include <yaml-cpp/yaml.h>

#include "chatd/host.hpp"
#include "chatd/plugin_abi.h"

namespace chatd::sdk {

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
    // Who wrote it: "" for a member, "plugin" for a plugin's post(), "admin"
    // for an operator's `chatdctl say` (then sessionId() is 0 and nick() the
    // name it was posted as). Always "" with a daemon older than 0.2.
    std::string_view origin() const {
        auto fn = CHATD_SDK_SERVICE(host_->api(), message_origin);
        return fn == nullptr ? std::string_view{} : detail::fromC(fn(msg_));
    }

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

// What onMessage decides. Reject's code is "rejected", "rate_limited" or
// (0.2) "muted" (the error code the sender gets); its reason is the text the
// sender reads.
struct Verdict {
    VerdictKind kind = VerdictKind::Continue;
    std::string code;
    std::string reason;

    static Verdict pass() { return {}; }
    static Verdict drop() { return {VerdictKind::Drop, {}, {}}; }
    static Verdict reject(std::string reason) { return {VerdictKind::Reject, "rejected", std::move(reason)}; }
    static Verdict rateLimited(std::string reason) { return {VerdictKind::Reject, "rate_limited", std::move(reason)}; }
    static Verdict muted(std::string reason) { return {VerdictKind::Reject, "muted", std::move(reason)}; }
};

// A session entering or leaving a room; valid during the hook only.
struct SessionEvent {
    std::uint64_t session_id = 0;  // what Host::reply takes
    std::string_view session;      // the session id as clients see it
    std::string_view room;
    std::string_view nick;
};

// 0.2. A WebSocket connection asking to be accepted (onConnect), before the
// upgrade; valid during the hook only.
struct ConnectEvent {
    std::string_view address;      // the peer's address (the proxy's client when trusted)
    std::string_view origin;       // the Origin header ("" when absent)
    std::string_view path;         // the request path ("/", "/ws")
    std::string_view mode;         // "json" (sub-protocol chatd.v1) or "raw"
    std::string_view claims_json;  // the verified token's claims as a JSON object; "" when auth is off
};

// 0.2. A session asking to join a room (onJoinRequest), before the room's own
// checks; valid during the hook only.
struct JoinRequest {
    std::uint64_t session_id = 0;  // what Host::kick/disconnect/notice take
    std::string_view session;      // the session id as clients see it
    std::string_view room;
    std::string_view nick;         // the nick asked for ("" when the daemon will pick a guest nick)
    std::string_view address;      // as in ConnectEvent
    std::string_view claims_json;  // as in ConnectEvent
};

// 0.2. What onConnect and onJoinRequest decide. A refusal answers HTTP 403
// with the reason (connection) or the error `forbidden` with the reason (join);
// an empty reason is sent as "refused by <instance name>". `code` (0.2):
// the join error's code, "forbidden" (when empty) or "banned"; a connection
// refusal is always a 403.
struct Admission {
    bool admitted = true;
    std::string reason;
    std::string code;

    static Admission admit() { return {}; }
    static Admission refuse(std::string reason) { return {false, std::move(reason), {}}; }
    static Admission banned(std::string reason) { return {false, std::move(reason), "banned"}; }
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

    // The hooks below need chatd 0.2. Like every hook, one you do not
    // override is left out of the plugin's table and costs the daemon nothing.

    // Admit or refuse a WebSocket connection. Runs on an HTTP server thread,
    // still never concurrently with this instance's other hooks; state shared
    // with threads of your own or other instances needs your own locking.
    virtual Admission onConnect(const ConnectEvent& event) {
        (void)event;
        return Admission::admit();
    }
    // Admit or refuse a join (on the room's thread; only for rooms the entry's
    // `rooms:` covers).
    virtual Admission onJoinRequest(const JoinRequest& request) {
        (void)request;
        return Admission::admit();
    }
    // Called every `tick:` of the entry on a timer thread of the entry's own
    // (never with no `tick:`); a missed tick is not made up.
    virtual void onTick() {}
    // `chatdctl plugin <instance> <command> [args...]`: return one JSON value
    // (chatd/json.hpp helps; "" means null) that chatdctl prints, or throw:
    // chatdctl prints what() and exits 1. Runs on the control socket's thread.
    virtual std::string onControl(std::string_view command, const std::vector<std::string>& args) {
        (void)command, (void)args;
        return {};
    }

    // A payload this entry's namesake on another chatd instance sent with
    // Host::broadcast (rooms shared through Redis). `from_instance` names that
    // daemon (for logs). Runs on a delivery thread of the daemon's, one
    // payload at a time in arrival order, never concurrently with the other
    // hooks. Needs a daemon that offers Host::canBroadcast().
    virtual void onPeerMessage(std::string_view from_instance, std::string_view payload) {
        (void)from_instance, (void)payload;
    }

    // Last call before destruction: stop threads, flush files. Exceptions are
    // logged and otherwise ignored.
    virtual void shutdown() {}

    const Host& host() const { return host_; }

private:
    friend struct detail::Access;
    Host host_;
};

}  // namespace chatd::sdk

#undef CHATD_SDK_SERVICE

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
