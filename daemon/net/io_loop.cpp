#include "net/io_loop.h"

#include <spdlog/spdlog.h>
#include <sys/epoll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "net/connection.h"
#include "util/heap.h"
#include "util/loop_failure.h"
#include "util/thread_setup.h"
#include "ws/opcode.h"

namespace chatd::net {

namespace {
constexpr std::size_t kScratchBytes = 64 * 1024;
constexpr int kMaxEvents = 256;
constexpr auto kTickInterval = std::chrono::milliseconds(250);

// A connection's epoll token is its address (never 0, the wake-up's token).
std::uint64_t tokenOf(Connection& connection) { return reinterpret_cast<std::uintptr_t>(&connection); }
Connection* connectionOf(const epoll_event& event) { return reinterpret_cast<Connection*>(event.data.u64); }
}  // namespace

IoLoop::IoLoop(unsigned index, LoopSettings settings)
    : index_(index), settings_(settings), poller_("io loop " + std::to_string(index)), scratch_(kScratchBytes, '\0') {}

IoLoop::~IoLoop() {
    if (thread_.joinable()) {
        shutdown(util::steadyNow());
        join();
    }
}

void IoLoop::start() {
    thread_ = std::thread([this] { run(); });
}

void IoLoop::post(Task task) { poller_.post(std::move(task)); }

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
    assertLoopThread();
    Connection& ref = *connection;
    if (!poller_.add(ref.fd(), EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, tokenOf(ref))) {
        spdlog::error("epoll_ctl(ADD) for {}: {}", ref.peer(), std::strerror(errno));
        return;  // the connection is destroyed, its socket closed
    }
    connections_.emplace(ref.id(), std::move(connection));
    stats_.connections.store(connections_.size(), std::memory_order_relaxed);
    ref.start();
    if (stopping_) ref.close(ws::close_code::GoingAway, "server shutting down");
}

Connection* IoLoop::find(std::uint64_t connection_id) {
    assertLoopThread();
    const auto it = connections_.find(connection_id);
    return it == connections_.end() ? nullptr : it->second.get();
}

void IoLoop::markDirty(Connection& connection) {
    assertLoopThread();
    connection.dirty = true;
    dirty_.push_back(&connection);
}

void IoLoop::readAgain(Connection& connection) {
    assertLoopThread();
    if (connection.read_again) return;
    connection.read_again = true;
    read_again_.push_back(&connection);
}

void IoLoop::wakeAt(util::SteadyTime when, std::uint64_t connection_id) {
    assertLoopThread();
    hold_timers_.emplace(holdWakeTime(when, util::steadyNow()), connection_id);
}

// With 100 flooders held at 10 messages/s each, exact timers woke the loop
// 1,000 times a second for one read each; on a 10 ms grid it wakes at most
// 100 times and reads every flooder due at once.
util::SteadyTime IoLoop::holdWakeTime(util::SteadyTime when, util::SteadyTime now) {
    if (when - now < kHoldGrain) return when;
    const auto grain = std::chrono::duration_cast<util::SteadyClock::duration>(kHoldGrain);
    const auto since = when.time_since_epoch();
    const auto grains = since / grain + (since % grain != util::SteadyClock::duration::zero() ? 1 : 0);
    return util::SteadyTime(grains * grain);
}

void IoLoop::expireHolds(util::SteadyTime now) {
    while (!hold_timers_.empty() && hold_timers_.top().first <= now) {
        const std::uint64_t id = hold_timers_.top().second;
        hold_timers_.pop();
        const auto it = connections_.find(id);
        if (it == connections_.end() || it->second->finished()) continue;
        Connection& connection = *it->second;
        util::runGuarded(poller_.name(), [&] { connection.onHoldExpired(now); });
    }
}

// Rounded up: a wait cut short by rounding down would wake before the
// timer is due and spin until it is.
int IoLoop::waitMillis(util::SteadyTime now, util::SteadyTime next_tick) const {
    if (!read_again_.empty()) return 0;
    util::SteadyTime until = next_tick;
    if (!hold_timers_.empty()) until = std::min(until, hold_timers_.top().first);
    if (until <= now) return 0;
    return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(until - now).count());
}

void IoLoop::scheduleRemoval(Connection& connection) {
    assertLoopThread();
    finished_.push_back(&connection);
}

void IoLoop::run() {
    util::nameThisThread("chatd-io-" + std::to_string(index_));
    poller_.owner().bindToCurrentThread();
    epoll_event events[kMaxEvents];
    auto next_tick = util::steadyNow() + kTickInterval;
    for (;;) {
        const auto ready = poller_.wait(events, waitMillis(util::steadyNow(), next_tick));
        if (!ready) break;  // fatal, reported (util/loop_failure.h)
        // The connections whose hold ended are read below, in this iteration.
        expireHolds(util::steadyNow());
        const auto handle_ready = [&] {
            // Connections that stopped reading for fairness go first, once.
            std::vector<Connection*> again;
            again.swap(read_again_);
            for (Connection* connection : again) {
                connection->read_again = false;
                handleEvent(connection, EPOLLIN);
            }
            for (std::size_t i = 0; i < *ready; ++i) handleEvent(connectionOf(events[i]), events[i].events);
        };
        if (event_scope_)
            util::runGuarded(poller_.name(), [&] { event_scope_(handle_ready); });
        else
            handle_ready();
        poller_.runTasks();
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
    poller_.owner().unbind();
}

// What a connection's code throws is a failed task (util/loop_failure.h):
// reported, and the loop goes on.
void IoLoop::handleEvent(Connection* connection, std::uint32_t events) {
    if (connection->finished()) return;
    util::runGuarded(poller_.name(), [&] {
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
    });
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
        poller_.remove(connection->fd());
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
