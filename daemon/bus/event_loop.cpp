#include "bus/event_loop.h"

#include <sys/epoll.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "util/loop_failure.h"
#include "util/thread_setup.h"

namespace chatd::bus {

namespace {
constexpr int kMaxEvents = 16;
}  // namespace

EventLoop::EventLoop() : poller_("bus") {}

void EventLoop::post(Task task) { poller_.post(std::move(task)); }

void EventLoop::stop() {
    post([this] { stopping_ = true; });
}

void EventLoop::run() {
    util::nameThisThread("chatd-bus");
    poller_.owner().bindToCurrentThread();
    epoll_event events[kMaxEvents];
    while (!stopping_) {
        const auto count = poller_.wait(events, waitMillis());
        if (!count) break;  // fatal, reported (util/loop_failure.h)
        for (std::size_t i = 0; i < *count; ++i) {
            const auto it = watches_.find(events[i].data.u64);
            if (it == watches_.end()) continue;  // removed by an earlier handler of this round
            const std::uint32_t flags = events[i].events;
            // Copied: the handler may remove its own watch.
            Handler handler = it->second.handler;
            util::runGuarded(poller_.name(), [&] {
                handler((flags & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0, (flags & EPOLLOUT) != 0);
            });
        }
        poller_.runTasks();
        runDueTimers();
    }
    // What was posted before (or by) the last tasks still runs, so that
    // nothing posted is silently dropped with the loop.
    for (int round = 0; round < 100 && poller_.hasTasks(); ++round) poller_.runTasks();
    poller_.owner().unbind();
}

void EventLoop::runDueTimers() {
    const auto now = util::steadyNow();
    while (!timers_.empty() && timers_.begin()->first <= now) {
        auto node = timers_.extract(timers_.begin());
        timer_index_.erase(node.mapped().first);
        util::runGuarded(poller_.name(), node.mapped().second);
    }
}

int EventLoop::waitMillis() const {
    if (poller_.hasTasks()) return 0;
    if (timers_.empty()) return -1;
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(timers_.begin()->first - util::steadyNow());
    return static_cast<int>(std::max<std::int64_t>(0, wait.count()));
}

EventLoop::WatchId EventLoop::watch(int fd, Handler handler) {
    const WatchId id = next_watch_++;
    auto [it, inserted] = watches_.emplace(id, Watch{id, fd, false, false, std::move(handler)});
    updateEpoll(it->second, true);
    return id;
}

void EventLoop::setInterest(WatchId id, bool read, bool write) {
    const auto it = watches_.find(id);
    if (it == watches_.end() || (it->second.read == read && it->second.write == write)) return;
    it->second.read = read;
    it->second.write = write;
    updateEpoll(it->second, false);
}

void EventLoop::unwatch(WatchId id) {
    const auto it = watches_.find(id);
    if (it == watches_.end()) return;
    poller_.remove(it->second.fd);
    watches_.erase(it);
}

void EventLoop::updateEpoll(Watch& watch, bool added) {
    const std::uint32_t events = (watch.read ? EPOLLIN : 0u) | (watch.write ? EPOLLOUT : 0u);
    const bool done = added ? poller_.add(watch.fd, events, watch.id) : poller_.modify(watch.fd, events, watch.id);
    if (!done) throw std::runtime_error(std::string("epoll_ctl: ") + std::strerror(errno));
}

EventLoop::TimerId EventLoop::after(std::chrono::milliseconds delay, Task task) {
    CHATD_ASSERT_OWNED(poller_.owner());
    const TimerId id = next_timer_++;
    const auto it = timers_.emplace(util::steadyNow() + delay, std::make_pair(id, std::move(task)));
    timer_index_.emplace(id, it);
    return id;
}

void EventLoop::cancel(TimerId id) {
    CHATD_ASSERT_OWNED(poller_.owner());
    const auto it = timer_index_.find(id);
    if (it == timer_index_.end()) return;
    timers_.erase(it->second);
    timer_index_.erase(it);
}

}  // namespace chatd::bus
