// EventLoop: the bus thread's own epoll loop. It watches a few descriptors
// (the Redis connections), runs tasks other threads post and runs timers; the
// epoll, wake-up and task mechanics are util::EventPoller's, and a task,
// handler or timer that throws is reported and the loop goes on
// (util/loop_failure.h). Everything but post() and stop() is for the loop
// thread only (asserted in checked builds while run() runs). Handlers may add
// or remove watches and timers freely, also their own: an event for a watch
// removed earlier in the same round is dropped.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>

#include "util/clock.h"
#include "util/event_poller.h"

namespace chatd::bus {

class EventLoop {
public:
    using Task = std::function<void()>;
    // Called with what the descriptor is ready for (errors count as readable).
    using Handler = std::function<void(bool readable, bool writable)>;
    using WatchId = std::uint64_t;
    using TimerId = std::uint64_t;

    EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // Runs until stop(); on the calling thread. Tasks posted by then still
    // run. Also returns when epoll fails (fatal, reported).
    void run();
    // Thread-safe: run() returns after the round in progress.
    void stop();
    // Thread-safe: runs `task` on the loop thread, in posting order.
    void post(Task task);

    WatchId watch(int fd, Handler handler);
    void setInterest(WatchId id, bool read, bool write);
    void unwatch(WatchId id);
    bool watching(WatchId id) const { return watches_.count(id) != 0; }

    TimerId after(std::chrono::milliseconds delay, Task task);
    void cancel(TimerId id);

private:
    struct Watch {
        WatchId id;
        int fd;
        bool read = false;
        bool write = false;
        Handler handler;
    };
    void runDueTimers();
    int waitMillis() const;
    void updateEpoll(Watch& watch, bool added);

    util::EventPoller poller_;
    bool stopping_ = false;

    std::unordered_map<WatchId, Watch> watches_;
    WatchId next_watch_ = 1;
    std::multimap<util::SteadyTime, std::pair<TimerId, Task>> timers_;
    std::unordered_map<TimerId, decltype(timers_)::iterator> timer_index_;
    TimerId next_timer_ = 1;
};

}  // namespace chatd::bus
