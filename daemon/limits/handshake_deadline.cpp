#include "limits/handshake_deadline.h"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/NetException.h>

namespace chatd::limits {

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

void HandshakeWatchdog::arm(const Poco::Net::StreamSocket& socket, Clock::time_point deadline) {
    const int fd = socket.impl()->sockfd();
    {
        std::lock_guard lock(mutex_);
        auto [it, inserted] = by_fd_.try_emplace(fd, Armed{socket, deadline});
        if (!inserted) {  // a stale entry: Poco closed that socket and the number was reused
            by_deadline_.erase({it->second.deadline, fd});
            it->second = Armed{socket, deadline};
        }
        by_deadline_.emplace(deadline, fd);
    }
    changed_.notify_all();
}

bool HandshakeWatchdog::disarm(int fd) {
    Poco::Net::StreamSocket released;  // closed (if last reference) outside the lock
    std::lock_guard lock(mutex_);
    auto it = by_fd_.find(fd);
    if (it == by_fd_.end()) return false;
    by_deadline_.erase({it->second.deadline, fd});
    released = std::move(it->second.socket);
    by_fd_.erase(it);
    return true;
}

std::size_t HandshakeWatchdog::armed() const {
    std::lock_guard lock(mutex_);
    return by_fd_.size();
}

// Sleeps until the earliest deadline (or a change), then cuts what is due.
void HandshakeWatchdog::run() {
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
        by_deadline_.erase(by_deadline_.begin());
        auto it = by_fd_.find(fd);
        Poco::Net::StreamSocket socket = std::move(it->second.socket);
        by_fd_.erase(it);
        lock.unlock();
        bool cut = true;
        try {
            socket.shutdown();  // the HTTP thread's blocked read returns: Poco ends the connection
        } catch (const Poco::Exception&) {
            cut = false;  // already closed by Poco (or gone): nothing to cut
        }
        if (cut) {
            expired_.fetch_add(1, std::memory_order_relaxed);
            if (on_expired_) on_expired_(socket);
        }
        lock.lock();
    }
    by_deadline_.clear();
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
