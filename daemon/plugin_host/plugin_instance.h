// One configured plugin (one `plugins:` entry) as the pipeline runs it: the
// plugin's instance, its host context, a mutex that serialises its hooks, the
// on_error policy, and its counters.
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
#include "plugin_host/pipeline.h"
#include "plugin_host/plugin_library.h"
#include "util/log_throttle.h"

namespace chatd::plugin_host {

class PluginInstance {
public:
    // Creates the instance: with the plugin's reload hook from `previous` (same
    // library, locked meanwhile) when given, else with init. On failure: the
    // plugin's own message.
    static std::variant<std::unique_ptr<PluginInstance>, std::string> create(std::shared_ptr<PluginLibrary> library,
                                                                             const config::PluginEntry& entry,
                                                                             ReplyFn reply,
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
    const std::string& name() const { return context_->name; }
    const PluginLibrary& library() const { return *library_; }
    PluginStats stats() const;

    struct Private {};
    PluginInstance(Private, std::shared_ptr<PluginLibrary> library, const config::PluginEntry& entry, ReplyFn reply);

private:
    using EventHook = chatd_status (*)(void*, const chatd_session_event*, chatd_error_buf*);

    void onEvent(EventHook hook, const SessionEvent& event);
    // Counts a failed hook and logs it, rate-limited. Caller holds mutex_.
    void hookFailed(std::string_view hook, std::string_view error, std::string_view consequence);
    Verdict fromPlugin(const chatd_verdict& v) const;
    // The one place an on_message verdict is counted: stats() and the
    // attached metrics. `locked`: the caller holds mutex_.
    void countVerdict(VerdictKind kind, Clock::duration took, bool locked);
    // Adds the time since `start` to hook_ns_ and moves `start` to now.
    void addTime(Clock::time_point& start);

    std::shared_ptr<PluginLibrary> library_;
    std::unique_ptr<HostContext> context_;
    config::OnError on_error_;
    void* instance_ = nullptr;
    bool live_ = false;  // init/reload succeeded: shutdown is owed
    mutable std::mutex mutex_;
    util::LogThrottle error_log_;  // failed hooks: at most one line a second
    std::optional<VerdictMetrics> metrics_;

    // Written under mutex_ (plain load+store, no locked instruction), read
    // by stats() from any thread.
    std::atomic<std::uint64_t> messages_{0}, continued_{0}, dropped_{0}, rejected_{0}, errors_{0}, hook_ns_{0};
};

}  // namespace chatd::plugin_host
