// The plugin pipeline: every chat message passes through the configured
// plugins, in YAML order, before it is sequenced and broadcast. A Pipeline is
// immutable once built; a reload builds a new one (Pipeline::build with the
// running one as `previous`) and the caller swaps the shared_ptr, so messages
// in flight finish on the old pipeline. Plugin ABI: plugins/sdk/include/chatd/plugin_abi.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.h"

namespace chatd::metrics {
class Counter;
class Histogram;
struct DaemonMetrics;
}  // namespace chatd::metrics

namespace chatd::plugin_host {

class PluginActions;

// What the host services need of the daemon, given to Pipeline::build.
struct PluginEnvironment {
    // What post/kick/disconnect/notice/session_info/find_session call. Null
    // (chatd --check, tests): those services fail with CHATD_FAILED.
    PluginActions* actions = nullptr;
    // Config `state_dir`, handed to init/reload.
    std::string state_dir;
    // Where metric_add/metric_set series go (chatd_plugin_custom); null: the
    // values are kept by the instance but exported nowhere. Must outlive the pipeline.
    metrics::DaemonMetrics* metrics = nullptr;
};

// One chat message on its way through the pipeline (hub thread).
struct MessageContext {
    std::uint64_t session_id = 0;  // host-internal id (for replies); 0 for a post
    std::string_view session;      // the session id as clients see it
    std::string_view room, nick;   // nick: the `from` name of a post
    std::string text;              // plugins may replace it (the host copies)
    std::string_view origin;       // "" (a member), "plugin" or "admin" (a post)
};

// A WebSocket upgrade request before it is accepted (an HTTP thread).
struct ConnectEvent {
    std::string_view address, origin, path, mode, claims_json;
};

// A join before the room's own checks (the room's owning thread).
struct JoinRequestEvent {
    std::uint64_t session_id = 0;
    std::string_view session, room, nick, address, claims_json;
};

// The pipeline's answer to a connection or a join: admitted, or refused by
// `plugin` with `reason` (never empty when refused).
struct Admission {
    bool admitted = true;
    std::string reason;
    std::string plugin;
    std::string code = "forbidden";  // a refused join's error code: "forbidden" or "banned"
};

// The answer of a plugin's on_control: a JSON value, or an error text.
struct ControlAnswer {
    bool ok = true;
    std::string json;   // when ok ("null" when the plugin set none)
    std::string error;  // when not ok
};

enum class VerdictKind { Continue, Drop, Reject };

struct Verdict {
    VerdictKind kind = VerdictKind::Continue;
    std::string code;    // for Reject: "rejected", "rate_limited" or "muted"
    std::string reason;  // for Reject: the text for the sender (never empty)
    std::string plugin;  // the instance (entry name) that dropped/rejected; empty for Continue
};

// A session entering or leaving a room.
struct SessionEvent {
    std::uint64_t session_id = 0;
    std::string_view session, room, nick;
};

// Counters of one plugin instance since its pipeline was built (for metrics).
struct PluginStats {
    std::string name;
    std::uint64_t messages = 0;   // on_message calls
    std::uint64_t continued = 0;  // verdicts, after on_error
    std::uint64_t dropped = 0;
    std::uint64_t rejected = 0;
    std::uint64_t errors = 0;         // failed hooks (exceptions), any hook
    std::uint64_t hook_ns = 0;        // time spent in all hooks of this instance
    std::uint64_t busy = 0;           // hooks not run: the instance stayed locked too long (counted in errors too)
    std::uint64_t ticks = 0;          // on_tick calls
    std::uint64_t ticks_skipped = 0;  // ticks due while the previous one still ran
    std::uint64_t posts_refused = 0;  // posts beyond the instance's rate (a post loop)
};

class PluginInstance;
class Ticker;
class PeerDelivery;

class Pipeline {
public:
    // Loads (dlopen RTLD_NOW|RTLD_LOCAL), negotiates the ABI and initialises
    // every entry in order. On any failure tears down what it had loaded and
    // returns one line: "plugin '<name>' (<file>): <cause>". With `previous`
    // (the running pipeline, on reload), an entry with the same name and file
    // as there is created by the plugin's reload hook from the old instance.
    // Entries with a `tick:` are then ticked, each by a timer thread of its own.
    static std::variant<std::shared_ptr<Pipeline>, std::string> build(const std::vector<config::PluginEntry>& entries,
                                                                      const std::string& plugin_dir,
                                                                      const PluginEnvironment& environment,
                                                                      const Pipeline* previous = nullptr);

    // Runs the plugins in order, stopping at the first Drop/Reject; then shows
    // the final verdict to the plugins that observe verdicts. Thread-safe.
    // With `after` (a posting plugin's name), only the plugins after it run.
    Verdict onMessage(MessageContext& msg, std::string_view after = {});
    // Admission: the plugins' on_connect / on_join_request in order, up to
    // the first refusal. Rooms outside an entry's `rooms:` skip it.
    Admission onConnect(const ConnectEvent& event);
    Admission onJoinRequest(const JoinRequestEvent& event);
    // Whether any plugin has the hook (callers skip building the event).
    bool hasConnectHooks() const;
    bool hasJoinRequestHooks() const;
    // `chatdctl plugin NAME COMMAND ARGS...`: the named instance's on_control.
    ControlAnswer control(std::string_view plugin, std::string_view command, std::string_view args_json);
    void onJoin(const SessionEvent& event);
    void onLeave(const SessionEvent& event);
    // A payload the entry `plugin` on instance `from_instance` broadcast:
    // queued for the named instance's on_peer_message on the pipeline's
    // delivery thread (see peer_delivery.h). Ignored when no instance of
    // that name has the hook. Any thread (the bus thread).
    void onPeerMessage(const std::string& from_instance, const std::string& plugin, std::string payload);

    // Counts every plugin's message verdicts (chatd_plugin_verdicts_total) and
    // times its on_message hook (chatd_plugin_hook_seconds) from now on. The
    // series are keyed by entry name, so counts carry on across reloads. Call
    // before the pipeline is shared with other threads; `metrics` must outlive it.
    void attachMetrics(metrics::DaemonMetrics& metrics);

    std::vector<std::string> names() const;
    std::vector<PluginStats> stats() const;
    bool empty() const { return instances_.empty(); }

    // The file an entry loads from: <plugin_dir>/<name>.so when path is
    // empty, <plugin_dir>/<path> when relative, else path.
    static std::string resolvePath(const config::PluginEntry& entry, const std::string& plugin_dir);

    // Stops (joins) the timer and delivery threads, shuts every instance down (reverse
    // order), then unloads the libraries.
    ~Pipeline();
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    struct Private {};
    explicit Pipeline(Private);

private:
    PluginInstance* find(std::string_view name) const;
    void clear();

    std::vector<std::unique_ptr<PluginInstance>> instances_;
    std::vector<PluginInstance*> observers_;        // instances with an on_verdict hook
    std::vector<PluginInstance*> connect_hooks_;    // ... with on_connect
    std::vector<PluginInstance*> join_requests_;    // ... with on_join_request
    std::vector<std::unique_ptr<Ticker>> tickers_;  // one per entry with a tick (and an on_tick hook)
    std::unique_ptr<PeerDelivery> delivery_;        // when some instance has on_peer_message
};

}  // namespace chatd::plugin_host
