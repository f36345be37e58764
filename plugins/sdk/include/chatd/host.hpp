// chatd::sdk::Host: the daemon's services for one plugin instance (logging,
// notices, session facts, acting on rooms and sessions, custom metrics, the
// state directory, broadcasts to the other instances), wrapped over chatd_host_api. Included by chatd/plugin.hpp.
//
// Services marked "0.2" need a chatd 0.2 daemon or newer: against an older
// one (its host table is shorter, see struct_size in plugin_abi.h) they do
// nothing and return false / std::nullopt, and stateDir() is empty.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

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

// How Host::kick's leave is shown to the room: presence reason "kicked" or
// (a ban from the room) "banned".
enum class KickAs { Kicked, Banned };

// How Host::disconnect closes a connection (the WebSocket close code).
enum class CloseCode : std::int32_t {
    Disconnected = CHATD_CLOSE_DISCONNECTED,  // 4000: the client may reconnect
    Banned = CHATD_CLOSE_BANNED,              // 4003: the client must not reconnect by itself
};

namespace detail {
inline chatd_str toC(std::string_view s) { return chatd_str{s.data(), s.size()}; }
inline std::string_view fromC(chatd_str s) {
    return s.size == 0 ? std::string_view{} : std::string_view{s.data, s.size};
}
}  // namespace detail

// What the daemon knows of a session (Host::sessionInfo); owned copies.
struct SessionInfo {
    std::string session;            // the session id as clients see it
    std::string nick;               // "" before its first join
    std::string room;               // "" when in no room
    std::string address;            // the peer's address (the proxy's client when trusted)
    std::string mode;               // "json" or "raw"
    std::int64_t connected_ms = 0;  // when it connected, ms since the Unix epoch
    std::string claims_json;        // its token's claims as a JSON object; "" when auth is off
};

// The pointer to a host service, or nullptr when the daemon's table is too
// short to have it (a daemon older than the service) or leaves it NULL.
#define CHATD_SDK_SERVICE(api, field)                                                                                \
    ((api) != nullptr && (api)->struct_size >= offsetof(chatd_host_api, field) + sizeof((api)->field) ? (api)->field \
                                                                                                      : nullptr)

// The daemon's services for one plugin instance. Safe to use from any thread
// (also the plugin's own threads) from init() until shutdown() returns.
class Host {
public:
    Host() = default;
    Host(const chatd_host_api* api, chatd_host* host, std::string instance_name, std::string state_dir = {})
        : api_(api), host_(host), name_(std::move(instance_name)), state_dir_(std::move(state_dir)) {}

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
    // The same as reply() (the ABI's name for it); also works with a 0.1 daemon.
    bool notice(std::uint64_t session_id, std::string_view text) const {
        if (auto fn = CHATD_SDK_SERVICE(api_, notice)) return fn(host_, session_id, detail::toC(text)) == CHATD_OK;
        return reply(session_id, text);
    }

    // 0.2. What the daemon knows of a session; nullopt when it is gone.
    std::optional<SessionInfo> sessionInfo(std::uint64_t session_id) const {
        auto fn = CHATD_SDK_SERVICE(api_, session_info);
        if (fn == nullptr) return std::nullopt;
        chatd_session_info out{};
        out.struct_size = sizeof(chatd_session_info);
        if (fn(host_, session_id, &out) != CHATD_OK) return std::nullopt;
        return SessionInfo{std::string(detail::fromC(out.session)),    std::string(detail::fromC(out.nick)),
                           std::string(detail::fromC(out.room)),       std::string(detail::fromC(out.address)),
                           std::string(detail::fromC(out.mode)),       out.connected_ms,
                           std::string(detail::fromC(out.claims_json))};
    }
    // 0.2. The session holding `nick` in `room` on this daemon (nicks compare
    // case-insensitively); nullopt when none does.
    std::optional<std::uint64_t> findSession(std::string_view room, std::string_view nick) const {
        auto fn = CHATD_SDK_SERVICE(api_, find_session);
        std::uint64_t id = 0;
        if (fn == nullptr || fn(host_, detail::toC(room), detail::toC(nick), &id) != CHATD_OK) return std::nullopt;
        return id;
    }

    // 0.2. Acting: each call only queues the action (never re-entered from
    // inside your hook) and returns true when it was queued. post: `text`
    // into `room` shown as from `from` (a bot's name) with origin "plugin";
    // it passes the plugins after this one. False for invalid UTF-8, an empty
    // or too long text, a name that is not nick-shaped (1-32 of A-Z a-z 0-9
    // _ - .), a bad room name, or posting too fast (20/s, bursts of 100).
    bool post(std::string_view room, std::string_view from, std::string_view text) const {
        auto fn = CHATD_SDK_SERVICE(api_, post);
        return fn != nullptr && fn(host_, detail::toC(room), detail::toC(from), detail::toC(text)) == CHATD_OK;
    }
    // 0.2. Removes the session from `room` (it gets a `kicked` event, stays
    // connected); the room sees a leave with reason "kicked", or "banned" with
    // KickAs::Banned (a daemon older than that service: "kicked").
    bool kick(std::uint64_t session_id, std::string_view room, std::string_view reason,
              KickAs as = KickAs::Kicked) const {
        auto fn = CHATD_SDK_SERVICE(api_, kick);
        if (auto banned = CHATD_SDK_SERVICE(api_, kick_banned); banned != nullptr && as == KickAs::Banned) fn = banned;
        return fn != nullptr && fn(host_, session_id, detail::toC(room), detail::toC(reason)) == CHATD_OK;
    }
    // 0.2. Closes the session's connection with `code`; `reason` is the
    // close reason (the daemon cuts it to 123 bytes).
    bool disconnect(std::uint64_t session_id, CloseCode code, std::string_view reason) const {
        auto fn = CHATD_SDK_SERVICE(api_, disconnect);
        return fn != nullptr && fn(host_, session_id, static_cast<std::int32_t>(code), detail::toC(reason)) == CHATD_OK;
    }

    // 0.2. This instance's own metrics, on /metrics as
    // chatd_plugin_custom{plugin="<instance>",name="<name>",label="<label>"}.
    // `name`: [a-z0-9_]{1,64}; `label`: UTF-8, up to 128 bytes, may be "".
    // False for a bad name or label, or beyond 1,000 series per instance.
    bool metricAdd(std::string_view name, std::string_view label, double delta) const {
        auto fn = CHATD_SDK_SERVICE(api_, metric_add);
        return fn != nullptr && fn(host_, detail::toC(name), detail::toC(label), delta) == CHATD_OK;
    }
    bool metricSet(std::string_view name, std::string_view label, double value) const {
        auto fn = CHATD_SDK_SERVICE(api_, metric_set);
        return fn != nullptr && fn(host_, detail::toC(name), detail::toC(label), value) == CHATD_OK;
    }

    // Sends `payload` (any bytes, at most CHATD_BROADCAST_MAX_BYTES) to this
    // entry's namesake on every other chatd instance sharing rooms through
    // Redis; it arrives there in Plugin::onPeerMessage. True when handed to
    // the bus (best effort: an instance that is down misses it); false when
    // rooms are not shared right now (no Redis bus, Redis down), the payload
    // is too big, or the daemon is older than the service.
    bool broadcast(std::string_view payload) const {
        auto fn = CHATD_SDK_SERVICE(api_, broadcast);
        return fn != nullptr && fn(host_, detail::toC(payload)) == CHATD_OK;
    }
    // True when the daemon has broadcast() (and so calls onPeerMessage).
    bool canBroadcast() const { return CHATD_SDK_SERVICE(api_, broadcast) != nullptr; }

    // True when the daemon offers the 0.2 services (all of them), so a
    // plugin that needs them can refuse to start on an older one.
    bool has02Services() const { return CHATD_SDK_SERVICE(api_, metric_set) != nullptr; }

    // 0.2. The daemon's state directory (config `state_dir`), where a plugin
    // keeps its files under a name of its own; "" with an older daemon.
    const std::string& stateDir() const { return state_dir_; }
    // The entry's `name:` in the daemon's YAML.
    const std::string& instanceName() const { return name_; }
    const chatd_host_api* api() const { return api_; }
    chatd_host* handle() const { return host_; }

private:
    const chatd_host_api* api_ = nullptr;
    chatd_host* host_ = nullptr;
    std::string name_;
    std::string state_dir_;
};

}  // namespace chatd::sdk
