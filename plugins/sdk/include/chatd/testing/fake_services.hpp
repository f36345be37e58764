// The fake host's side of chatd_host_api: the state one FakeHost keeps (the
// plugin, its sessions, what it recorded) and the C service table that
// writes into it, refusing what the ABI says the daemon refuses (invalid
// UTF-8, empty names, bad metric names...). Included by fake_host.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chatd/detail/utf8.hpp"
#include "chatd/plugin.hpp"
#include "chatd/testing/fake_records.hpp"

namespace chatd::sdk::testing::fake {

// Everything one FakeHost owns; the chatd_host* the plugin gets points here.
struct State {
    const chatd_plugin_api* api = nullptr;
    std::shared_ptr<void> library;
    std::string name;
    std::string state_dir;
    bool as_chatd_0_1 = false;  // serve the shorter tables of a 0.1 daemon
    bool refuse_posts = false;  // post() fails, as beyond the daemon's post rate
    bool sharing = true;        // broadcast() succeeds (rooms shared through Redis)
    void* instance = nullptr;
    mutable std::mutex mutex;  // the plugin may call services from its own threads
    std::vector<LogLine> logs;
    std::vector<Reply> replies;
    std::vector<Post> posts;
    std::vector<Kick> kicks;
    std::vector<Disconnect> disconnects;
    std::vector<MetricCall> metric_calls;
    std::vector<Broadcast> broadcasts;
    std::map<std::pair<std::string, std::string>, double> metrics;  // (name, label) -> value
    std::vector<FakeSession> sessions;
};

// The message being processed; chatd_message* points at one of these.
struct Msg {
    std::string text;
    Sender from;
    bool writable;
    bool replaced;
    chatd_message* handle() { return reinterpret_cast<chatd_message*>(this); }
    static Msg& of(const chatd_message* m) { return *reinterpret_cast<Msg*>(const_cast<chatd_message*>(m)); }
};

inline constexpr std::size_t kMaxMetricSeries = 1000;

inline State& stateOf(chatd_host* host) { return *reinterpret_cast<State*>(host); }
inline std::string copy(chatd_str s) { return std::string(detail::fromC(s)); }
inline bool validText(chatd_str s) { return detail::isValidUtf8(detail::fromC(s)); }
inline bool validName(chatd_str s) { return s.size > 0 && validText(s); }

// ASCII case-insensitive equality, as the daemon compares nicks.
inline bool sameNick(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

// name [a-z0-9_]{1,64}, label UTF-8 up to 128 bytes (plugin_abi.h).
inline bool validMetric(chatd_str name, chatd_str label) {
    if (name.size == 0 || name.size > 64 || label.size > 128 || !validText(label)) return false;
    for (const char c : detail::fromC(name))
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

// The C functions of the fake daemon's chatd_host_api.
struct Services {
    static void log(chatd_host* host, std::int32_t level, chatd_str text) {
        State& s = stateOf(host);
        std::lock_guard lock(s.mutex);
        s.logs.push_back({static_cast<LogLevel>(level), copy(text)});
    }
    static chatd_str text(const chatd_message* m) { return detail::toC(Msg::of(m).text); }
    static chatd_str room(const chatd_message* m) { return detail::toC(Msg::of(m).from.room); }
    static chatd_str nick(const chatd_message* m) { return detail::toC(Msg::of(m).from.nick); }
    static chatd_str session(const chatd_message* m) { return detail::toC(Msg::of(m).from.session); }
    static std::uint64_t sessionId(const chatd_message* m) { return Msg::of(m).from.session_id; }
    static chatd_str origin(const chatd_message* m) { return detail::toC(Msg::of(m).from.origin); }

    static chatd_status setText(chatd_message* m, chatd_str text) {
        Msg& msg = Msg::of(m);
        if (!msg.writable || !validText(text)) return CHATD_FAILED;
        msg.text = copy(text);
        msg.replaced = true;
        return CHATD_OK;
    }
    static chatd_status reply(chatd_host* host, std::uint64_t session_id, chatd_str text) {
        if (!validText(text)) return CHATD_FAILED;
        State& s = stateOf(host);
        std::lock_guard lock(s.mutex);
        s.replies.push_back({session_id, copy(text)});
        return CHATD_OK;
    }

    static chatd_status sessionInfo(chatd_host* host, std::uint64_t session_id, chatd_session_info* out) {
        State& s = stateOf(host);
        std::lock_guard lock(s.mutex);
        for (const FakeSession& f : s.sessions) {
            if (f.session_id != session_id) continue;
            *out = chatd_session_info{
                sizeof(chatd_session_info), detail::toC(f.session), detail::toC(f.nick), detail::toC(f.room),
                detail::toC(f.address),     detail::toC(f.mode),    f.connected_ms,      detail::toC(f.claims_json)};
            return CHATD_OK;
        }
        return CHATD_FAILED;
    }
    static chatd_status findSession(chatd_host* host, chatd_str room, chatd_str nick, std::uint64_t* session_id) {
        State& s = stateOf(host);
        std::lock_guard lock(s.mutex);
        for (const FakeSession& f : s.sessions) {
            if (f.room != detail::fromC(room) || !sameNick(f.nick, detail::fromC(nick))) continue;
            *session_id = f.session_id;
            return CHATD_OK;
        }
        return CHATD_FAILED;
    }

    static chatd_status post(chatd_host* host, chatd_str room, chatd_str from, chatd_str text) {
        if (!validName(room) || !validName(from) || !validName(text)) return CHATD_FAILED;
        State& s = stateOf(host);
        std::lock_guard lock(s.mutex);
        if (s.refuse_posts) return CHATD_FAILED;
        s.posts.push_back({copy(room), copy(from), copy(text)});
        return CHATD_OK;
    }
    static chatd_status kickAs(chatd_host* host, std::uint64_t session_id, chatd_str room, chatd_str reason,
                               bool banned) {
        if (!validName(room) || !validText(reason)) return CHATD_FAILED;
        State& s = stateOf(host);
        std::lock_guard lock(s.mutex);
        s.kicks.push_back({session_id, copy(room), copy(reason), banned});
        return CHATD_OK;
    }
    static chatd_status kick(chatd_host* host, std::uint64_t session_id, chatd_str room, chatd_str reason) {
        return kickAs(host, session_id, room, reason, false);
    }
    static chatd_status kickBanned(chatd_host* host, std::uint64_t session_id, chatd_str room, chatd_str reason) {
        return kickAs(host, session_id, room, reason, true);
    }
    static chatd_status disconnect(chatd_host* host, std::uint64_t session_id, std::int32_t code, chatd_str reason) {
        if ((code != CHATD_CLOSE_DISCONNECTED && code != CHATD_CLOSE_BANNED) || !validText(reason)) return CHATD_FAILED;
        State& s = stateOf(host);
        std::lock_guard lock(s.mutex);
        s.disconnects.push_back({session_id, static_cast<CloseCode>(code), copy(reason)});
        return CHATD_OK;
    }

    // metric_add (set == false) and metric_set.
    static chatd_status metric(chatd_host* host, chatd_str name, chatd_str label, double value, bool set) {
        if (!validMetric(name, label)) return CHATD_FAILED;
        State& s = stateOf(host);
        std::lock_guard lock(s.mutex);
        const auto key = std::make_pair(copy(name), copy(label));
        auto it = s.metrics.find(key);
        if (it == s.metrics.end()) {
            if (s.metrics.size() >= kMaxMetricSeries) return CHATD_FAILED;
            it = s.metrics.emplace(key, 0.0).first;
        }
        it->second = set ? value : it->second + value;
        s.metric_calls.push_back({key.first, key.second, value, set});
        return CHATD_OK;
    }
    static chatd_status broadcast(chatd_host* host, chatd_str payload) {
        State& s = stateOf(host);
        std::lock_guard lock(s.mutex);
        if (!s.sharing || payload.size > CHATD_BROADCAST_MAX_BYTES) return CHATD_FAILED;
        s.broadcasts.push_back({copy(payload)});
        return CHATD_OK;
    }
    static chatd_status metricAdd(chatd_host* host, chatd_str name, chatd_str label, double delta) {
        return metric(host, name, label, delta, false);
    }
    static chatd_status metricSet(chatd_host* host, chatd_str name, chatd_str label, double value) {
        return metric(host, name, label, value, true);
    }
};

// The service table: a chatd 0.2 daemon's, or (as_chatd_0_1) the same cut
// to the size a 0.1 daemon's had, so the 0.2 services look absent.
inline const chatd_host_api* services(bool as_chatd_0_1) {
    static const chatd_host_api full{
        sizeof(chatd_host_api), &Services::log,         &Services::text,      &Services::room,  &Services::nick,
        &Services::session,     &Services::sessionId,   &Services::setText,   &Services::reply, &Services::origin,
        &Services::sessionInfo, &Services::findSession, &Services::post,      &Services::kick,  &Services::disconnect,
        &Services::reply,       &Services::metricAdd,   &Services::metricSet, &Services::broadcast,
        &Services::kickBanned,
    };
    static const chatd_host_api old = [] {
        chatd_host_api cut = full;
        cut.struct_size = static_cast<std::uint32_t>(offsetof(chatd_host_api, message_origin));
        return cut;
    }();
    return as_chatd_0_1 ? &old : &full;
}

}  // namespace chatd::sdk::testing::fake
