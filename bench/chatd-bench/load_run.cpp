#include "load_run.h"

#include <arpa/inet.h>

#include <algorithm>
#include <thread>

#include "sockets.h"

namespace chatd::bench {

LoadRun::LoadRun(const Options& options)
    : options_(options), control_(options_), book_(options.mode == Mode::Idle || options.mode == Mode::Connect ? 0 : options.senders) {
    const auto address = parseIpv4(options_.host);
    if (!address) throw RunError("--host " + options_.host + " is not an IPv4 address");
    control_.target.sin_family = AF_INET;
    control_.target.sin_port = htons(options_.port);
    control_.target.sin_addr = *address;
    control_.target2 = control_.target;
    if (options_.port2) control_.target2.sin_port = htons(options_.port2);
    control_.bind_sources = isLoopback(*address);
    unsigned threads = options_.threads ? options_.threads : usableCpuCount();
    threads = std::max(1u, std::min(threads, totalClients(options_)));
    for (unsigned i = 0; i < threads; ++i) workers_.push_back(std::make_unique<Worker>(control_, i, threads));
}

LoadRun::~LoadRun() { finish(); }

void LoadRun::start() {
    setup_deadline_ = std::chrono::steady_clock::now() +
                      std::chrono::milliseconds(static_cast<long long>(options_.setup_timeout_s * 1000));
    for (auto& worker : workers_) worker->start();
}

// Returns once every worker acts on the new phase: after setPhase(Drain) no
// worker sends any more, so `sent` is final (a timer that fired just before
// the change once sent a message after the drain had already been judged).
void LoadRun::setPhase(Phase phase) {
    control_.phase.store(phase, std::memory_order_release);
    for (auto& worker : workers_) worker->wake();
    if (phase == Phase::Done) return;  // finish() joins the threads instead
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (auto& worker : workers_) {
        while (worker->counters().following.load(std::memory_order_acquire) != phase &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::yield();
        }
    }
}

Totals LoadRun::totals() const {
    Totals t;
    for (const auto& worker : workers_) {
        auto& c = worker->counters();
        t.connected += c.connected.load(std::memory_order_relaxed);
        t.failed += c.failed.load(std::memory_order_relaxed);
        t.open += c.open.load(std::memory_order_relaxed);
        t.lost += c.lost.load(std::memory_order_relaxed);
        t.joined += c.joined.load(std::memory_order_relaxed);
        t.warm += c.warm.load(std::memory_order_relaxed);
        t.sent += c.sent.load(std::memory_order_relaxed);
        t.delivered += c.delivered.load(std::memory_order_relaxed);
        t.delivered_in_window += c.delivered_in_window.load(std::memory_order_relaxed);
        t.lost_members += c.lost_members.load(std::memory_order_relaxed);
        t.lost_unwelcomed += c.lost_unwelcomed.load(std::memory_order_relaxed);
        t.presence += c.presence.load(std::memory_order_relaxed);
        t.errors += c.errors.load(std::memory_order_relaxed);
        t.churn_leaves += c.churn_leaves.load(std::memory_order_relaxed);
        t.churn_joins += c.churn_joins.load(std::memory_order_relaxed);
        t.churn_skipped += c.churn_skipped.load(std::memory_order_relaxed);
        t.flood_sent += c.flood_sent.load(std::memory_order_relaxed);
        t.flood_delivered += c.flood_delivered.load(std::memory_order_relaxed);
        t.last_welcome_ns = std::max(t.last_welcome_ns, c.last_welcome_ns.load(std::memory_order_relaxed));
    }
    return t;
}

bool LoadRun::waitUntil(const std::function<bool(const Totals&)>& done,
                        std::chrono::steady_clock::time_point deadline,
                        const std::function<void(const Totals&)>& progress) {
    auto next_progress = std::chrono::steady_clock::now();
    for (;;) {
        const Totals t = totals();
        if (done(t)) return true;
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return false;
        if (progress && now >= next_progress) {
            progress(t);
            next_progress = now + std::chrono::milliseconds(250);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void LoadRun::connectAll(const std::function<void(const Totals&)>& progress) {
    const std::uint64_t n = totalClients(options_);
    const bool all = waitUntil([n](const Totals& t) { return t.connected + t.failed >= n; }, setup_deadline_, progress);
    const Totals t = totals();
    if (!all || t.failed > 0) {
        finish();
        std::string message = std::to_string(t.connected) + " of " + std::to_string(n) + " connections opened";
        if (!all) message += " within --setup-timeout";
        if (!failures_.empty()) message += "; failures: " + describe(failures_);
        throw RunError(message);
    }
    if (options_.protocol == Protocol::Json &&
        !waitUntil([n](const Totals& now) { return now.joined >= n || now.lost > 0; }, setup_deadline_, progress)) {
        const std::uint64_t joined = totals().joined;
        finish();
        throw RunError(std::to_string(joined) + " of " + std::to_string(n) + " clients got their welcome in time");
    }
}

void LoadRun::warmUp(const std::function<void(const Totals&)>& progress) {
    const std::uint64_t n = options_.clients;
    setPhase(Phase::Warmup);
    const bool warm = waitUntil([n](const Totals& t) { return t.warm >= n || t.lost > 0; }, setup_deadline_, progress);
    const Totals t = totals();
    if (!warm || t.lost > 0) {
        finish();
        std::string message = std::to_string(t.warm) + " of " + std::to_string(n) + " clients received the warm-up broadcast";
        if (!losses_.empty()) message += "; connections lost: " + describe(losses_);
        throw RunError(message);
    }
}

void LoadRun::finish() {
    if (finished_) return;
    finished_ = true;
    setPhase(Phase::Done);
    for (auto& worker : workers_) {
        worker->join();
        latency_.merge(worker->latency());
        flood_latency_.merge(worker->floodLatency());
        join_latency_.merge(worker->joinLatency());
        rejoin_latency_.merge(worker->rejoinLatency());
        flooder_latency_.merge(worker->flooderLatency());
        book_.merge(worker->book());
        for (const auto& [cause, count] : worker->failures()) failures_[cause] += count;
        for (const auto& [cause, count] : worker->losses()) losses_[cause] += count;
        other_frames_ += worker->otherFrames();
        if (worker->measureWallS() > 0)
            busiest_load_ = std::max(busiest_load_, worker->measureCpuS() / worker->measureWallS());
    }
}

std::string LoadRun::describe(const std::map<std::string, std::uint64_t>& causes) {
    std::string text;
    for (const auto& [cause, count] : causes) {
        if (!text.empty()) text += ", ";
        text += cause + " x" + std::to_string(count);
    }
    return text;
}

}  // namespace chatd::bench
