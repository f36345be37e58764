#include "limits/handshake_deadline.h"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/NetException.h>

#include <algorithm>

#include "util/thread_setup.h"

namespace chatd::limits {

namespace {

// Shuts `socket` down both ways; false when Poco had already closed it.
bool cut(Poco::Net::StreamSocket& socket) {
    try {
        socket.shutdown();  // the HTTP thread's blocked read returns: Poco ends the connection
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

}  // namespace

HandshakeWatchdog::HandshakeWatchdog(OnExpired on_expired)
    : on_expired_(std::move(on_expired)), thread_([this] { run(); }) {}

HandshakeWatchdog::~HandshakeWatchdog() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

Poco::Net::StreamSocket HandshakeWatchdog::forget(Entries::iterator it) {
    const int fd = it->first;
    Entry& entry = it->second;
    by_deadline_.erase({entry.deadline, fd});
    if (auto held = by_key_.find(entry.key); held != by_key_.end()) {
        std::erase(held->second, fd);
        if (held->second.empty()) by_key_.erase(held);
    }
    Poco::Net::StreamSocket socket = std::move(entry.socket);
    by_fd_.erase(it);
    return socket;
}

// Poco closes a connection's socket when it ends (an early EOF, a head it
// refused with 400, a kept-alive connection that went quiet) without the
// router seeing a request: such entries would count until their deadline.
void HandshakeWatchdog::forgetClosed(const std::string& key, std::vector<Poco::Net::StreamSocket>& released) {
    auto held = by_key_.find(key);
    if (held == by_key_.end()) return;
    const std::vector<int> fds = held->second;  // forget() edits the original
    for (const int fd : fds) {
        auto it = by_fd_.find(fd);
        if (it->second.socket.impl()->sockfd() == POCO_INVALID_SOCKET) released.push_back(forget(it));
    }
}

HandshakeWatchdog::Entries::iterator HandshakeWatchdog::oldestKeptAlive(const std::string& key) {
    auto held = by_key_.find(key);
    if (held == by_key_.end()) return by_fd_.end();
    for (const int fd : held->second) {
        auto it = by_fd_.find(fd);
        if (it->second.kept_alive) return it;
    }
    return by_fd_.end();
}

ArmOutcome HandshakeWatchdog::arm(const Poco::Net::StreamSocket& socket, Clock::time_point deadline,
                                  PendingAddress address) {
    const int fd = socket.impl()->sockfd();
    std::vector<Poco::Net::StreamSocket> released;  // closed (if last reference) outside the lock
    Poco::Net::StreamSocket idle;                   // cut to make room, outside the lock
    ArmOutcome outcome = ArmOutcome::Armed;
    {
        std::lock_guard lock(mutex_);
        // A stale entry: Poco closed that socket and the number was reused.
        if (auto stale = by_fd_.find(fd); stale != by_fd_.end()) released.push_back(forget(stale));
        if (!address.key.empty() && address.limit > 0 && countOf(address.key) >= address.limit) {
            forgetClosed(address.key, released);
            if (countOf(address.key) >= address.limit) {
                auto oldest = oldestKeptAlive(address.key);
                if (oldest == by_fd_.end()) return ArmOutcome::Refused;
                idle = forget(oldest);
                outcome = ArmOutcome::MadeRoom;
            }
        }
        by_fd_.emplace(fd, Entry{socket, deadline, address.key, address.kept_alive});
        by_deadline_.emplace(deadline, fd);
        if (!address.key.empty()) by_key_[address.key].push_back(fd);
    }
    changed_.notify_all();
    if (outcome == ArmOutcome::MadeRoom) cut(idle);
    return outcome;
}

bool HandshakeWatchdog::disarm(int fd) {
    Poco::Net::StreamSocket released;  // closed (if last reference) outside the lock
    std::lock_guard lock(mutex_);
    auto it = by_fd_.find(fd);
    if (it == by_fd_.end()) return false;
    released = forget(it);
    return true;
}

std::size_t HandshakeWatchdog::armed() const {
    std::lock_guard lock(mutex_);
    return by_fd_.size();
}

std::size_t HandshakeWatchdog::pending(const std::string& key) const {
    std::lock_guard lock(mutex_);
    return countOf(key);
}

std::size_t HandshakeWatchdog::countOf(const std::string& key) const {
    auto held = by_key_.find(key);
    return held == by_key_.end() ? 0 : held->second.size();
}

// Sleeps until the earliest deadline (or a change), then cuts what is due.
void HandshakeWatchdog::run() {
    util::nameThisThread("chatd-handshake");
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (by_deadline_.empty()) {
            changed_.wait(lock);
            continue;
        }
        const auto [deadline, fd] = *by_deadline_.begin();
        if (Clock::now() < deadline) {
            changed_.wait_until(lock, deadline);
            continue;
        }
        Poco::Net::StreamSocket socket = forget(by_fd_.find(fd));
        lock.unlock();
        if (cut(socket)) {  // else already closed by Poco (or gone): nothing to cut
            expired_.fetch_add(1, std::memory_order_relaxed);
            if (on_expired_) on_expired_(socket);
        }
        lock.lock();
    }
    by_deadline_.clear();
    by_key_.clear();
    by_fd_.clear();
}

bool HandshakeFilter::accept(const Poco::Net::StreamSocket& socket) {
    if (refuse_ && refuse_(socket)) return false;
    watchdog_.arm(socket, HandshakeWatchdog::Clock::now() + timeout_());
    return true;
}

Poco::Net::StreamSocket& socketOf(const Poco::Net::HTTPServerRequest& request) {
    auto& impl =
        const_cast<Poco::Net::HTTPServerRequestImpl&>(static_cast<const Poco::Net::HTTPServerRequestImpl&>(request));
    return impl.socket();
}

int socketFdOf(const Poco::Net::HTTPServerRequest& request) { return socketOf(request).impl()->sockfd(); }

}  // namespace chatd::limits
