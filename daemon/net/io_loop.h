// IoLoop: one thread running epoll over the WebSocket connections it owns.
// Other threads hand it work with post() (util::EventPoller: epoll, the
// eventfd that wakes it, the task queue, the failure policy). During one
// iteration frames are only queued; each touched socket is flushed once at
// the end, so a burst of broadcasts costs one gather write per socket (a
// queue that passes limits.send_queue_bytes is written at once, see Connection::send).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/loop_settings.h"
#include "util/clock.h"
#include "util/event_poller.h"

namespace chatd::net {

class Connection;

// Counters a loop keeps for /healthz and metrics (read from any thread).
// Written by the loop thread only (relaxed), so a metrics scrape sums them
// without locks.
struct LoopStats {
    std::atomic<std::size_t> connections{0};
    std::atomic<std::uint64_t> slow_consumer_closes{0};  // limits.send_queue_bytes (1008)
    std::atomic<std::uint64_t> too_large_closes{0};      // websocket.max_message_bytes (1009)
    std::atomic<std::uint64_t> bytes_received{0};        // read from WebSocket sockets
    std::atomic<std::uint64_t> bytes_sent{0};            // written to them
    std::atomic<std::int64_t> queued_bytes{0};           // waiting in this loop's outbound queues
    std::atomic<std::int64_t> paused_connections{0};     // not read now (Connection::pauseReading())
    std::atomic<std::int64_t> held_connections{0};       // not read until a time (Connection::holdReadingUntil())
};

// Adds `delta` to a LoopStats counter from its loop's thread, the only writer:
// a relaxed load and store, not a locked read-modify-write. Readers still see
// whole values; the lock prefix, paid per frame queued, cost about a tenth of
// the server's CPU at saturation (perf, 2026-12-07).
template <typename T, typename D>
void addFromLoop(std::atomic<T>& counter, D delta) {
    counter.store(counter.load(std::memory_order_relaxed) + static_cast<T>(delta), std::memory_order_relaxed);
}
template <typename T, typename D>
void subtractFromLoop(std::atomic<T>& counter, D delta) {
    counter.store(counter.load(std::memory_order_relaxed) - static_cast<T>(delta), std::memory_order_relaxed);
}

// The limits a loop enforces on its connections, reported for logging.
enum class LoopLimit {
    MessageSize,   // websocket.max_message_bytes (close 1009)
    SlowConsumer,  // limits.send_queue_bytes (close 1008)
};

class IoLoop {
public:
    using Task = std::function<void()>;
    // Called on the loop thread for each limit hit (after LoopStats counted it).
    using LimitReporter = std::function<void(LoopLimit limit, std::string_view detail)>;
    // Runs `handle` (the reading of one iteration's ready connections) and
    // whatever must happen around it; it must call `handle` once.
    using EventScope = std::function<void(const std::function<void()>& handle)>;

    IoLoop(unsigned index, LoopSettings settings);
    ~IoLoop();
    IoLoop(const IoLoop&) = delete;
    IoLoop& operator=(const IoLoop&) = delete;

    unsigned index() const { return index_; }
    // Where limit hits are reported (set before start(); none: not reported).
    void setLimitReporter(LimitReporter reporter) { limit_reporter_ = std::move(reporter); }
    // What each iteration's reading runs inside (set before start(); none: nothing).
    void setEventScope(EventScope scope) { event_scope_ = std::move(scope); }
    void start();
    // Thread-safe: runs `task` on the loop thread, in posting order.
    void post(Task task);
    // Thread-safe: closes every connection with 1001 and stops the thread
    // once all are closed or `deadline` passed. join() waits for it.
    void shutdown(util::SteadyTime deadline);
    void join();

    // --- loop thread only (checked by assertLoopThread() in checked builds) ---
    void adopt(std::unique_ptr<Connection> connection);
    Connection* find(std::uint64_t connection_id);
    const LoopSettings& settings() const { return settings_; }
    void setSettings(const LoopSettings& settings) {
        assertLoopThread();
        settings_ = settings;
    }
    LoopStats& stats() { return stats_; }
    void reportLimit(LoopLimit limit, std::string_view detail) {
        if (limit_reporter_) limit_reporter_(limit, detail);
    }
    std::string& scratch() { return scratch_; }
    void markDirty(Connection& connection);
    void scheduleRemoval(Connection& connection);
    // Reads `connection` on the next iteration (once, however often asked).
    void readAgain(Connection& connection);
    // At `when`, tells the connection `connection_id` (if it still exists)
    // that its hold may be over (Connection::onHoldExpired). The loop's wait
    // ends at the earliest of these and the next tick: no polling.
    void wakeAt(util::SteadyTime when, std::uint64_t connection_id);
    // When wakeAt(when), asked at `now`, fires: a hold of at least kHoldGrain
    // ends at `when` rounded up to the next multiple of kHoldGrain (never
    // earlier), so that holds ending close together end in one wake-up of the
    // loop, not one each; a shorter hold (a fast pace: 1,000 msg/s waits 1 ms
    // a token) ends on time, or rounding would cap its rate.
    static util::SteadyTime holdWakeTime(util::SteadyTime when, util::SteadyTime now);
    static constexpr auto kHoldGrain = std::chrono::milliseconds(10);
    // In builds with CHATD_CHECK_THREADS: aborts (naming `caller`) unless
    // called on the loop thread.
    void assertLoopThread([[maybe_unused]] const char* caller = __builtin_FUNCTION()) const {
#ifdef CHATD_CHECK_THREADS
        poller_.owner().assertOwned(caller);
#endif
    }

private:
    void run();
    void handleEvent(Connection* connection, std::uint32_t events);
    void flushDirty();
    void tick(util::SteadyTime now);
    // Runs the wakeAt() timers due at `now`.
    void expireHolds(util::SteadyTime now);
    // How long epoll may wait: until the next tick or the earliest timer (0 when due).
    int waitMillis(util::SteadyTime now, util::SteadyTime next_tick) const;
    void removeFinished();
    void beginShutdown();

    unsigned index_;
    LoopSettings settings_;
    LoopStats stats_;
    LimitReporter limit_reporter_;
    EventScope event_scope_;
    util::EventPoller poller_;
    std::thread thread_;

    std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections_;
    std::vector<Connection*> dirty_;
    std::vector<Connection*> read_again_;
    std::vector<Connection*> finished_;
    // wakeAt() timers, the earliest on top (a connection gone by then is skipped).
    using HoldTimer = std::pair<util::SteadyTime, std::uint64_t>;
    std::priority_queue<HoldTimer, std::vector<HoldTimer>, std::greater<>> hold_timers_;
    std::string scratch_;
    bool stopping_ = false;
    // Set when the loop's last connection went: the next tick hands freed
    // memory back to the kernel (malloc_trim), once the leaves have settled.
    bool return_memory_ = false;
    util::SteadyTime shutdown_deadline_{};
};

}  // namespace chatd::net
