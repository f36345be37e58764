#include "util/event_poller.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "util/loop_failure.h"

namespace chatd::util {

namespace {
UniqueFd checkedFd(int fd, const char* what) {
    if (fd < 0) throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
    return UniqueFd(fd);
}
}  // namespace

EventPoller::EventPoller(std::string name)
    : name_(std::move(name)),
      epoll_(checkedFd(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1")),
      wake_(checkedFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd")) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = kWakeToken;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_.get(), &event) != 0)
        throw std::runtime_error(std::string("epoll_ctl: ") + std::strerror(errno));
}

void EventPoller::post(Task task) {
    bool was_empty;
    {
        std::lock_guard lock(tasks_mutex_);
        was_empty = tasks_.empty();
        tasks_.push_back(std::move(task));
    }
    if (was_empty) {  // the loop drains all tasks per wake-up: one write is enough
        const std::uint64_t one = 1;
        [[maybe_unused]] auto ignored = ::write(wake_.get(), &one, sizeof one);
    }
}

bool EventPoller::hasTasks() const {
    std::lock_guard lock(tasks_mutex_);
    return !tasks_.empty();
}

bool EventPoller::add(int fd, std::uint32_t events, std::uint64_t token) {
    return control(EPOLL_CTL_ADD, fd, events, token);
}

bool EventPoller::modify(int fd, std::uint32_t events, std::uint64_t token) {
    return control(EPOLL_CTL_MOD, fd, events, token);
}

bool EventPoller::control(int op, int fd, std::uint32_t events, std::uint64_t token) {
    CHATD_ASSERT_OWNED(owner_);
    epoll_event event{};
    event.events = events;
    event.data.u64 = token;
    return ::epoll_ctl(epoll_.get(), op, fd, &event) == 0;
}

void EventPoller::remove(int fd) {
    CHATD_ASSERT_OWNED(owner_);
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
}

std::optional<std::size_t> EventPoller::wait(std::span<epoll_event> out, int timeout_ms) {
    CHATD_ASSERT_OWNED(owner_);
    const int ready = ::epoll_wait(epoll_.get(), out.data(), static_cast<int>(out.size()), timeout_ms);
    if (ready < 0) {
        if (errno == EINTR) return 0;
        reportFatalLoopFailure(name_, std::string("epoll_wait: ") + std::strerror(errno));
        return std::nullopt;
    }
    // Keep the order of the other events; the wake-up only needs draining.
    std::size_t kept = 0;
    for (int i = 0; i < ready; ++i) {
        if (out[i].data.u64 == kWakeToken) {
            std::uint64_t drained;
            [[maybe_unused]] auto ignored = ::read(wake_.get(), &drained, sizeof drained);
        } else {
            out[kept++] = out[i];
        }
    }
    return kept;
}

std::size_t EventPoller::runTasks() {
    CHATD_ASSERT_OWNED(owner_);
    {
        std::lock_guard lock(tasks_mutex_);
        running_.swap(tasks_);
    }
    const std::size_t count = running_.size();
    for (Task& task : running_) runGuarded(name_, task);
    running_.clear();
    return count;
}

}  // namespace chatd::util
