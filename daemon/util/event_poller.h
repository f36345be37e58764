// EventPoller: the mechanics every epoll loop of the daemon shares (the IO
// loops and the bus thread's EventLoop): one epoll instance, an eventfd that
// other threads use to wake it, and the queue of tasks they post. The loop
// around it (what an event means, timers, shutdown) stays with its owner.
// post() and hasTasks() are thread-safe; everything else is for the loop
// thread, which binds owner() while it runs. Failures follow
// util/loop_failure.h: a task that throws is reported and the next one runs;
// a failing epoll_wait is reported as fatal and wait() returns nullopt.
#pragma once

#include <sys/epoll.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "util/thread_owner.h"
#include "util/unique_fd.h"

namespace chatd::util {

class EventPoller {
public:
    using Task = std::function<void()>;
    // Never returned by wait(): the token of the wake-up eventfd.
    static constexpr std::uint64_t kWakeToken = 0;

    // `name` names the loop in logs ("io loop 2", "bus"). Throws
    // std::runtime_error when the epoll instance or eventfd cannot be made.
    explicit EventPoller(std::string name);
    EventPoller(const EventPoller&) = delete;
    EventPoller& operator=(const EventPoller&) = delete;

    const std::string& name() const { return name_; }
    ThreadOwner& owner() { return owner_; }
    const ThreadOwner& owner() const { return owner_; }

    // Thread-safe: queues `task` (run in posting order) and wakes the loop.
    void post(Task task);
    // Thread-safe: tasks are waiting.
    bool hasTasks() const;

    // Registers `fd` for `events`; each event carries `token` (never
    // kWakeToken). False (errno set) when epoll_ctl refused.
    bool add(int fd, std::uint32_t events, std::uint64_t token);
    bool modify(int fd, std::uint32_t events, std::uint64_t token);
    void remove(int fd);

    // Waits up to `timeout_ms` (-1: no limit) and fills `out` with the ready
    // events, the wake-up consumed and left out. nullopt: epoll_wait failed,
    // reported as fatal; the loop must end.
    std::optional<std::size_t> wait(std::span<epoll_event> out, int timeout_ms);
    // Runs the tasks posted so far, each under runGuarded(); returns how many.
    std::size_t runTasks();

private:
    bool control(int op, int fd, std::uint32_t events, std::uint64_t token);

    std::string name_;
    ThreadOwner owner_;
    UniqueFd epoll_;
    UniqueFd wake_;
    mutable std::mutex tasks_mutex_;
    std::vector<Task> tasks_;
    std::vector<Task> running_;  // kept to reuse its capacity
};

}  // namespace chatd::util
