#include "bus/event_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace chatd::bus {

namespace {
constexpr int kMaxEvents = 16;
constexpr std::uint64_t kWakeId = 0;

util::UniqueFd checkedFd(int fd, const char* what) {
    if (fd < 0) throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
    return util::UniqueFd(fd);
}
}  // namespace

EventLoop::EventLoop()
    : epoll_(checkedFd(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1")),
      wake_(checkedFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd")) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = kWakeId;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_.get(), &event) != 0)
        throw std::runtime_error(std::string("epoll_ctl: ") + std::strerror(errno));
}

void EventLoop::post(Task task) {
    bool was_empty;
    {
        std::lock_guard lock(mutex_);
        was_empty = tasks_.empty();
        tasks_.push_back(std::move(task));
    }
    if (was_empty) {
        const std::uint64_t one = 1;
        [[maybe_unused]] auto ignored = ::write(wake_.get(), &one, sizeof one);
    }
}

void EventLoop::stop() {
    post([this] { stopping_ = true; });
}

void EventLoop::run() {
    epoll_event events[kMaxEvents];
    while (!stopping_) {
        const int count = ::epoll_wait(epoll_.get(), events, kMaxEvents, waitMillis());
        if (count < 0 && errno != EINTR) throw std::runtime_error(std::string("epoll_wait: ") + std::strerror(errno));
        for (int i = 0; i < count; ++i) {
            const std::uint64_t id = events[i].data.u64;
            if (id == kWakeId) {
                std::uint64_t drained;
                [[maybe_unused]] auto ignored = ::read(wake_.get(), &drained, sizeof drained);
                continue;
            }
            const auto it = watches_.find(id);
            if (it == watches_.end()) continue;  // removed by an earlier handler of this round
            const std::uint32_t flags = events[i].events;
            // Copied: the handler may remove its own watch.
            Handler handler = it->second.handler;
            handler((flags & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0, (flags & EPOLLOUT) != 0);
        }
        runTasks();
        runDueTimers();
    }
    // What was posted before (or by) the last tasks still runs, so that
    // nothing posted is silently dropped with the loop.
    for (int round = 0; round < 100; ++round) {
        {
            std::lock_guard lock(mutex_);
            if (tasks_.empty()) break;
        }
        runTasks();
    }
}

void EventLoop::runTasks() {
    std::vector<Task> batch;
    {
        std::lock_guard lock(mutex_);
        batch.swap(tasks_);
    }
    for (Task& task : batch) task();
}

void EventLoop::runDueTimers() {
    const auto now = util::steadyNow();
    while (!timers_.empty() && timers_.begin()->first <= now) {
        auto node = timers_.extract(timers_.begin());
        timer_index_.erase(node.mapped().first);
        node.mapped().second();
    }
}

int EventLoop::waitMillis() const {
    {
        std::lock_guard lock(mutex_);
        if (!tasks_.empty()) return 0;
    }
    if (timers_.empty()) return -1;
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(timers_.begin()->first - util::steadyNow());
    return static_cast<int>(std::max<std::int64_t>(0, wait.count()));
}

EventLoop::WatchId EventLoop::watch(int fd, Handler handler) {
    const WatchId id = next_watch_++;
    auto [it, inserted] = watches_.emplace(id, Watch{id, fd, false, false, std::move(handler)});
    updateEpoll(it->second, EPOLL_CTL_ADD);
    return id;
}

void EventLoop::setInterest(WatchId id, bool read, bool write) {
    const auto it = watches_.find(id);
    if (it == watches_.end() || (it->second.read == read && it->second.write == write)) return;
    it->second.read = read;
    it->second.write = write;
    updateEpoll(it->second, EPOLL_CTL_MOD);
}

void EventLoop::unwatch(WatchId id) {
    const auto it = watches_.find(id);
    if (it == watches_.end()) return;
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, it->second.fd, nullptr);
    watches_.erase(it);
}

void EventLoop::updateEpoll(Watch& watch, int op) {
    epoll_event event{};
    event.events = (watch.read ? EPOLLIN : 0u) | (watch.write ? EPOLLOUT : 0u);
    event.data.u64 = watch.id;
    if (::epoll_ctl(epoll_.get(), op, watch.fd, &event) != 0)
        throw std::runtime_error(std::string("epoll_ctl: ") + std::strerror(errno));
}

EventLoop::TimerId EventLoop::after(std::chrono::milliseconds delay, Task task) {
    const TimerId id = next_timer_++;
    const auto it = timers_.emplace(util::steadyNow() + delay, std::make_pair(id, std::move(task)));
    timer_index_.emplace(id, it);
    return id;
}

void EventLoop::cancel(TimerId id) {
    const auto it = timer_index_.find(id);
    if (it == timer_index_.end()) return;
    timers_.erase(it->second);
    timer_index_.erase(it);
}

}  // namespace chatd::bus
