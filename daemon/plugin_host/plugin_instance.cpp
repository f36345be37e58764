// Running one plugin instance: create (init or reload), the hooks under the
// instance's mutex with timing and counters, the on_error policy for failed
// hooks, and shutdown.
#include "plugin_host/plugin_instance.h"

#include <chrono>
#include <string>

#include <spdlog/spdlog.h>

#include "chatd/detail/utf8.hpp"
#include "metrics/daemon_metrics.h"
#include "metrics/instruments.h"
#include "plugin_host/plugin_error_buffer.h"
#include "util/log_text.h"

namespace chatd::plugin_host {

namespace {

using Clock = std::chrono::steady_clock;

// Counter increment for the holder of the instance lock (the only writer).
void bump(std::atomic<std::uint64_t>& counter, std::uint64_t by = 1) {
    counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

// The entry's config subtree as YAML text for the plugin ("~" when absent).
std::string yamlText(const YAML::Node& node) {
    try {
        if (!node || node.IsNull()) return "~";
        return YAML::Dump(node);
    } catch (const YAML::Exception&) {
        return "~";
    }
}

chatd_verdict toC(const Verdict& v) {
    const std::int32_t kind = v.kind == VerdictKind::Drop     ? CHATD_VERDICT_DROP
                              : v.kind == VerdictKind::Reject ? CHATD_VERDICT_REJECT
                                                              : CHATD_VERDICT_CONTINUE;
    return chatd_verdict{sizeof(chatd_verdict), kind, str(v.code), str(v.reason)};
}

}  // namespace

PluginInstance::PluginInstance(Private, std::shared_ptr<PluginLibrary> library, const config::PluginEntry& entry,
                               const PluginEnvironment& environment)
    : library_(std::move(library)),
      context_(std::make_unique<HostContext>(
          entry.name, spdlog::default_logger()->clone(entry.name), environment,
          environment.metrics != nullptr ? &environment.metrics->plugin_custom : nullptr)),
      on_error_(entry.on_error),
      scope_(entry.rooms),
      tick_(entry.tick) {}

std::variant<std::unique_ptr<PluginInstance>, std::string> PluginInstance::create(
    std::shared_ptr<PluginLibrary> library, const config::PluginEntry& entry, const PluginEnvironment& environment,
    const PluginInstance* previous) {
    auto self = std::make_unique<PluginInstance>(Private{}, std::move(library), entry, environment);
    const std::string yaml = yamlText(entry.config);
    const chatd_plugin_init_args args{
        sizeof(chatd_plugin_init_args), hostServices(), toHandle(self->context_.get()), str(entry.name), str(yaml),
        str(environment.state_dir)};
    const chatd_plugin_api& api = self->library_->api();
    ErrorBuffer error;
    void* created = nullptr;
    chatd_status status;
    if (previous != nullptr && api.reload != nullptr) {
        std::lock_guard lock(previous->mutex_);
        status = api.reload(previous->instance_, &args, &created, &error.buf);
    } else {
        status = api.init(&args, &created, &error.buf);
    }
    if (status != CHATD_OK) return std::string(error.text());
    self->instance_ = created;
    self->live_ = true;
    return self;
}

PluginInstance::~PluginInstance() {
    if (!live_) return;
    std::lock_guard lock(mutex_);
    library_->api().shutdown(instance_);
}

Verdict PluginInstance::onMessage(MessageContext& msg, Clock::time_point& clock) {
    const chatd_plugin_api& api = library_->api();
    if (api.on_message == nullptr) {  // never takes the lock: atomic increments
        messages_.fetch_add(1, std::memory_order_relaxed);
        countVerdict(VerdictKind::Continue, {}, false);
        return {};
    }
    const Clock::time_point started = clock;
    Lock lock = lockForHook();
    if (!lock.owns_lock()) {
        messages_.fetch_add(1, std::memory_order_relaxed);
        const bool drop = on_error_ == config::OnError::Drop;
        hookFailed("on_message", "instance busy (locked for over 100 ms by another hook or its tick)",
                   drop ? "message dropped (on_error: drop)" : "message passed on (on_error: continue)");
        Verdict verdict = drop ? Verdict{VerdictKind::Drop, {}, {}, name()} : Verdict{};
        clock = Clock::now();  // the wait is no hook time (and hook_ns_ is written under the lock only)
        countVerdict(verdict.kind, clock - started, false);
        return verdict;
    }
    bump(messages_);
    MessageHandle handle{&msg, true, false, {}};
    chatd_verdict decided{sizeof(chatd_verdict), CHATD_VERDICT_CONTINUE, {}, {}};
    ErrorBuffer error;
    chatd_status status = api.on_message(instance_, toHandle(&handle), &decided, &error.buf);
    std::string_view failure = error.text();
    if (status == CHATD_OK && (decided.kind < CHATD_VERDICT_CONTINUE || decided.kind > CHATD_VERDICT_REJECT)) {
        status = CHATD_FAILED;
        failure = "returned an unknown verdict kind";
    }
    Verdict verdict;
    if (status == CHATD_OK) {
        verdict = fromPlugin(decided);
    } else {
        if (handle.replaced) msg.text = std::move(handle.original);  // a failed hook changes nothing
        const bool drop = on_error_ == config::OnError::Drop;
        hookFailed("on_message", failure,
                   drop ? "message dropped (on_error: drop)" : "message passed on (on_error: continue)");
        if (drop) verdict = Verdict{VerdictKind::Drop, {}, {}, name()};
    }
    addTime(clock);
    countVerdict(verdict.kind, clock - started, true);
    return verdict;
}

void PluginInstance::countVerdict(VerdictKind kind, Clock::duration took, bool locked) {
    std::atomic<std::uint64_t>& count = kind == VerdictKind::Continue ? continued_
                                        : kind == VerdictKind::Drop   ? dropped_
                                                                      : rejected_;
    locked ? bump(count) : static_cast<void>(count.fetch_add(1, std::memory_order_relaxed));
    if (!metrics_) return;
    (kind == VerdictKind::Continue ? metrics_->continued
     : kind == VerdictKind::Drop   ? metrics_->dropped
                                   : metrics_->rejected)
        ->inc();
    metrics_->on_message_seconds->observe(took);
}

// A plugin's verdict as the pipeline reports it: the code limited to the
// protocol's three (rejected, rate_limited, muted), a reason that is never empty and always valid UTF-8.
Verdict PluginInstance::fromPlugin(const chatd_verdict& v) const {
    if (v.kind == CHATD_VERDICT_CONTINUE) return {};
    if (v.kind == CHATD_VERDICT_DROP) return Verdict{VerdictKind::Drop, {}, {}, name()};
    const std::string_view asked = view(v.code);
    const std::string code(asked == "rate_limited" || asked == "muted" ? asked : std::string_view("rejected"));
    std::string reason(view(v.reason));
    if (reason.empty() || !sdk::detail::isValidUtf8(reason)) reason = "message rejected by " + name();
    return Verdict{VerdictKind::Reject, code, std::move(reason), name()};
}

void PluginInstance::onVerdict(MessageContext& msg, const Verdict& final_verdict, Clock::time_point& clock) {
    const chatd_plugin_api& api = library_->api();
    if (api.on_verdict == nullptr) return;
    Lock lock = lockForHook();
    if (!lock.owns_lock()) return hookFailed("on_verdict", "instance busy", "ignored");
    MessageHandle handle{&msg, false, false, {}};
    const chatd_verdict v = toC(final_verdict);
    ErrorBuffer error;
    if (api.on_verdict(instance_, toHandle(&handle), &v, str(final_verdict.plugin), &error.buf) != CHATD_OK)
        hookFailed("on_verdict", error.text(), "ignored");
    addTime(clock);
}

void PluginInstance::onJoin(const SessionEvent& event) { onEvent(library_->api().on_join, event); }
void PluginInstance::onLeave(const SessionEvent& event) { onEvent(library_->api().on_leave, event); }

void PluginInstance::onEvent(EventHook hook, const SessionEvent& event) {
    if (hook == nullptr) return;
    const char* hook_name = hook == library_->api().on_join ? "on_join" : "on_leave";
    Lock lock = lockForHook();
    if (!lock.owns_lock()) return hookFailed(hook_name, "instance busy", "ignored");
    auto start = Clock::now();
    const chatd_session_event ev{sizeof(chatd_session_event), event.session_id, str(event.session), str(event.room),
                                 str(event.nick)};
    ErrorBuffer error;
    if (hook(instance_, &ev, &error.buf) != CHATD_OK) hookFailed(hook_name, error.text(), "ignored");
    addTime(start);
}

// Once a wait has timed out, the next hooks only try the lock (no wait)
// until someone gets it again: a tick stuck for minutes costs the hub
// threads one kHookLockWait, not one per message.
PluginInstance::Lock PluginInstance::lockForHook() {
    Lock lock(mutex_, std::defer_lock);
    const bool got = stalled_.load(std::memory_order_relaxed) ? lock.try_lock() : lock.try_lock_for(kHookLockWait);
    if (got) {
        if (stalled_.load(std::memory_order_relaxed)) stalled_.store(false, std::memory_order_relaxed);
    } else {
        stalled_.store(true, std::memory_order_relaxed);
        busy_.fetch_add(1, std::memory_order_relaxed);
    }
    return lock;
}

void PluginInstance::hookFailed(std::string_view hook, std::string_view error, std::string_view consequence) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    error_log_.log(*context_->logger, spdlog::level::err, "{} failed: {}; {}", hook,
                   util::LogText{error, kPluginLogTextBytes}, consequence);
}

void PluginInstance::addTime(Clock::time_point& start) {
    const auto now = Clock::now();
    bump(hook_ns_,
         static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now - start).count()));
    start = now;
}

PluginStats PluginInstance::stats() const {
    return PluginStats{name(),
                       messages_.load(std::memory_order_relaxed),
                       continued_.load(std::memory_order_relaxed),
                       dropped_.load(std::memory_order_relaxed),
                       rejected_.load(std::memory_order_relaxed),
                       errors_.load(std::memory_order_relaxed),
                       hook_ns_.load(std::memory_order_relaxed),
                       busy_.load(std::memory_order_relaxed),
                       ticks_.load(std::memory_order_relaxed),
                       ticks_skipped_.load(std::memory_order_relaxed),
                       context_->posts.refused.load(std::memory_order_relaxed)};
}

}  // namespace chatd::plugin_host
