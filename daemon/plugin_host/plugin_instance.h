// One configured plugin (one `plugins:` entry) as the pipeline runs it: the
// plugin's instance, its host context, a mutex that serialises its hooks, the
// on_error policy, its room scope, and its counters. The message, session
// and admission hooks wait at most kHookLockWait for the mutex (a long tick
// or control command must not stall a hub thread); past that the hook counts
// as failed. The 0.2 hooks (admission, tick, control) are in plugin_instance_hooks.cpp.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "config/config.h"
#include "plugin_host/host_services.h"
#include "plugin_host/instance_lock.h"
#include "plugin_host/pipeline.h"
#include "plugin_host/plugin_library.h"
#include "plugin_host/room_scope.h"
#include "util/log_throttle.h"

namespace chatd::plugin_host {

// How long a hook waits for its instance's lock before it counts as failed.
inline constexpr std::chrono::milliseconds kHookLockWait{100};

// An admission hook's refusal of a join: the reason the client reads and
// the error code it gets ("forbidden", or "banned" when the plugin said so).
struct Refusal {
    std::string reason;
    std::string code;
};

class PluginInstance {
public:
    // Creates the instance: with the plugin's reload hook from `previous` (same
    // library, locked meanwhile) when given, else with init. On failure: the
    // plugin's own message.
    static std::variant<std::unique_ptr<PluginInstance>, std::string> create(std::shared_ptr<PluginLibrary> library,
                                                                             const config::PluginEntry& entry,
                                                                             const PluginEnvironment& environment,
                                                                             const PluginInstance* previous);

    // Calls the shutdown hook; the library is released afterwards.
    ~PluginInstance();
    PluginInstance(const PluginInstance&) = delete;
    PluginInstance& operator=(const PluginInstance&) = delete;

    using Clock = std::chrono::steady_clock;

    // on_message with the on_error policy applied; Verdict::plugin is set
    // for Drop/Reject. `clock`: in, when this plugin's turn began; out, when
    // it ended (the next plugin's start): one clock read per plugin.
    Verdict onMessage(MessageContext& msg, Clock::time_point& clock);
    // on_verdict (read-only); errors are counted and logged only.
    void onVerdict(MessageContext& msg, const Verdict& final_verdict, Clock::time_point& clock);
    void onJoin(const SessionEvent& event);
    void onLeave(const SessionEvent& event);
    // Admission hooks: the refusal's reason (never empty), or nullopt to admit.
    std::optional<std::string> onConnect(const ConnectEvent& event);
    // A join's refusal also carries its error code ("forbidden" or "banned").
    std::optional<Refusal> onJoinRequest(const JoinRequestEvent& event);
    // on_tick (the timer thread; waits for the lock as long as it takes).
    void onTick();
    void ticksSkipped(std::uint64_t count) { ticks_skipped_.fetch_add(count, std::memory_order_relaxed); }
    ControlAnswer control(std::string_view command, std::string_view args_json);
    // on_peer_message (the pipeline's delivery thread; waits for the lock as
    // long as it takes); a failure is counted and logged only.
    void onPeerMessage(std::string_view from_instance, std::string_view payload);
    // A payload for on_peer_message that was not queued (the queue was full).
    void peerMessageDropped();

    // Where on_message verdicts and time are reported besides stats()
    // (Pipeline::attachMetrics). Call before the instance is shared.
    struct VerdictMetrics {
        metrics::Counter* continued;
        metrics::Counter* dropped;
        metrics::Counter* rejected;
        metrics::Histogram* on_message_seconds;
    };
    void attachMetrics(const VerdictMetrics& metrics) { metrics_ = metrics; }

    bool observesVerdicts() const { return library_->api().on_verdict != nullptr; }
    bool hasConnectHook() const { return library_->api().on_connect != nullptr; }
    bool hasJoinRequestHook() const { return library_->api().on_join_request != nullptr; }
    bool hasPeerHook() const { return library_->api().on_peer_message != nullptr; }
    // The entry's tick interval when it ticks (a `tick:` and an on_tick hook), else zero.
    std::chrono::milliseconds tickInterval() const {
        return library_->api().on_tick != nullptr ? tick_ : std::chrono::milliseconds(0);
    }
    // Whether the entry's `rooms:` covers `room` (room hooks run only then).
    bool covers(std::string_view room) const { return scope_.covers(room); }
    const std::string& name() const { return context_->name; }
    const PluginLibrary& library() const { return *library_; }
    PluginStats stats() const;

    struct Private {};
    PluginInstance(Private, std::shared_ptr<PluginLibrary> library, const config::PluginEntry& entry,
                   const PluginEnvironment& environment);

private:
    using EventHook = chatd_status (*)(void*, const chatd_session_event*, chatd_error_buf*);
    using Lock = std::unique_lock<InstanceLock>;

    void onEvent(EventHook hook, const SessionEvent& event);
    // The instance lock, waited for at most kHookLockWait; when it is not
    // owned the busy hook is counted (the caller treats the hook as failed).
    Lock lockForHook();
    // Counts a failed hook and logs it, rate-limited.
    void hookFailed(std::string_view hook, std::string_view error, std::string_view consequence);
    // An admission hook's failure under on_error: nullopt (continue admits) or the refusal.
    std::optional<std::string> admissionFailed(std::string_view hook, std::string_view error);
    Verdict fromPlugin(const chatd_verdict& v) const;
    // The one place an on_message verdict is counted: stats() and the
    // attached metrics. `locked`: the caller holds mutex_.
    void countVerdict(VerdictKind kind, Clock::duration took, bool locked);
    // Adds the time since `start` to hook_ns_ and moves `start` to now.
    void addTime(Clock::time_point& start);

    std::shared_ptr<PluginLibrary> library_;
    std::unique_ptr<HostContext> context_;
    config::OnError on_error_;
    RoomScope scope_;
    std::chrono::milliseconds tick_;
    void* instance_ = nullptr;
    bool live_ = false;  // init/reload succeeded: shutdown is owed
    mutable InstanceLock mutex_;
    util::LogThrottle error_log_;  // failed hooks: at most one line a second
    std::optional<VerdictMetrics> metrics_;

    // Written under mutex_ (plain load+store, no locked instruction), read
    // by stats() from any thread.
    std::atomic<std::uint64_t> messages_{0}, continued_{0}, dropped_{0}, rejected_{0}, hook_ns_{0};
    // Written by any thread (fetch_add): failures may happen without the lock.
    std::atomic<std::uint64_t> errors_{0}, busy_{0}, ticks_{0}, ticks_skipped_{0};
    std::atomic<bool> stalled_{false};  // a hook's lock wait timed out; cleared when the lock is next taken
};

}  // namespace chatd::plugin_host
