#include "net/io_loop.h"

#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "net/connection.h"
#include "util/heap.h"
#include "ws/opcode.h"

namespace chatd::net {

namespace {
constexpr std::size_t kScratchBytes = 64 * 1024;
constexpr int kMaxEvents = 256;
constexpr auto kTickInterval = std::chrono::milliseconds(250);

util::UniqueFd checkedFd(int fd, const char* what) {
    if (fd < 0) throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
    return util::UniqueFd(fd);
}
}  // namespace

IoLoop::IoLoop(unsigned index, LoopSettings settings)
    : index_(index),
      settings_(settings),
      epoll_(checkedFd(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1")),
      wake_(checkedFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd")),
      scratch_(kScratchBytes, '\0') {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = nullptr;  // nullptr marks the wake-up eventfd
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_.get(), &event) != 0)
        throw std::runtime_error(std::string("epoll_ctl: ") + std::strerror(errno));
}

IoLoop::~IoLoop() {
    if (thread_.joinable()) {
        shutdown(util::steadyNow());
        join();
    }
}

void IoLoop::start() {
    thread_ = std::thread([this] { run(); });
}

void IoLoop::post(Task task) {
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

void IoLoop::shutdown(util::SteadyTime deadline) {
    post([this, deadline] {
        shutdown_deadline_ = deadline;
        beginShutdown();
    });
}

void IoLoop::join() {
    if (thread_.joinable()) thread_.join();
}

void IoLoop::adopt(std::unique_ptr<Connection> connection) {
    Connection& ref = *connection;
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.ptr = &ref;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, ref.fd(), &event) != 0) {
        spdlog::error("epoll_ctl(ADD) for {}: {}", ref.peer(), std::strerror(errno));
        return;  // the connection is destroyed, its socket closed
    }
    connections_.emplace(ref.id(), std::move(connection));
    stats_.connections.store(connections_.size(), std::memory_order_relaxed);
    ref.start();
    if (stopping_) ref.close(ws::close_code::GoingAway, "server shutting down");
}

Connection* IoLoop::find(std::uint64_t connection_id) {
    const auto it = connections_.find(connection_id);
    return it == connections_.end() ? nullptr : it->second.get();
}

void IoLoop::markDirty(Connection& connection) {
    connection.dirty = true;
    dirty_.push_back(&connection);
}

void IoLoop::scheduleRemoval(Connection& connection) { finished_.push_back(&connection); }

void IoLoop::run() {
    epoll_event events[kMaxEvents];
    auto next_tick = util::steadyNow() + kTickInterval;
    for (;;) {
        const auto now = util::steadyNow();
        int timeout_ms =
            static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(next_tick - now).count());
        if (timeout_ms < 0 || !read_again_.empty()) timeout_ms = 0;
        const int ready = ::epoll_wait(epoll_.get(), events, kMaxEvents, timeout_ms);
        if (ready < 0 && errno != EINTR) {
            spdlog::critical("io loop {}: epoll_wait: {}", index_, std::strerror(errno));
            break;
        }
        // Connections that stopped reading for fairness go first, once.
        std::vector<Connection*> again;
        again.swap(read_again_);
        for (Connection* connection : again) {
            connection->read_again = false;
            handleEvent(connection, EPOLLIN);
        }
        for (int i = 0; i < ready; ++i) {
            if (events[i].data.ptr == nullptr) {
                std::uint64_t drained;
                [[maybe_unused]] auto ignored = ::read(wake_.get(), &drained, sizeof drained);
                runTasks();
            } else {
                handleEvent(static_cast<Connection*>(events[i].data.ptr), events[i].events);
            }
        }
        flushDirty();
        const auto after = util::steadyNow();
        if (after >= next_tick) {
            tick(after);
            next_tick = after + kTickInterval;
            flushDirty();
        }
        removeFinished();
        if (stopping_ && (connections_.empty() || after >= shutdown_deadline_)) break;
    }
    // Whatever is left after the deadline is closed without ceremony.
    for (auto& [id, connection] : connections_) connection->flush();
    connections_.clear();
    stats_.connections.store(0, std::memory_order_relaxed);
}

void IoLoop::runTasks() {
    {
        std::lock_guard lock(tasks_mutex_);
        running_tasks_.swap(tasks_);
    }
    for (Task& task : running_tasks_) task();
    running_tasks_.clear();
}

void IoLoop::handleEvent(Connection* connection, std::uint32_t events) {
    if (connection->finished()) return;
    if (events & EPOLLOUT) connection->onWritable();
    // A connection queued to read again gets its turn next iteration, once:
    // reading it here too would let a flooding client take turn after turn
    // (its edge events keep coming) and queue it again each time.
    if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) && !connection->read_again) {
        if (!connection->onReadable()) {
            connection->read_again = true;
            read_again_.push_back(connection);
        }
    }
}

void IoLoop::flushDirty() {
    // flush() may mark others dirty only through handlers, never itself: iterate by index.
    for (std::size_t i = 0; i < dirty_.size(); ++i) {
        Connection* connection = dirty_[i];
        connection->dirty = false;
        connection->flush();
    }
    dirty_.clear();
}

// Besides the connections' timers: after a burst of clients left this loop
// empty, glibc keeps the freed memory in its arenas; returning it lets the
// daemon's RSS follow its load down (the soak test checks this).
void IoLoop::tick(util::SteadyTime now) {
    for (auto& [id, connection] : connections_) connection->onTick(now);
    if (return_memory_ && connections_.empty()) {
        return_memory_ = false;
        util::returnFreeHeapToKernel();
    }
}

void IoLoop::removeFinished() {
    if (finished_.empty()) return;
    std::vector<Connection*> finished;
    finished.swap(finished_);
    for (Connection* connection : finished) {
        // Remove stale references before the object dies.
        std::erase(read_again_, connection);
        std::erase(dirty_, connection);
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, connection->fd(), nullptr);
        connections_.erase(connection->id());
    }
    if (connections_.empty()) return_memory_ = true;
    stats_.connections.store(connections_.size(), std::memory_order_relaxed);
}

void IoLoop::beginShutdown() {
    stopping_ = true;
    for (auto& [id, connection] : connections_) connection->close(ws::close_code::GoingAway, "server shutting down");
}

}  // namespace chatd::net
