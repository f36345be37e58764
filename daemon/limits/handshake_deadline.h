// Handshake deadline: a connection must deliver its request head within
// limits.handshake_timeout of being accepted, or it is cut. Poco's own
// timeout only bounds each read, so a client sending one byte every few
// seconds (slowloris) could hold an HTTP thread forever without this.
//
// HandshakeFilter arms a deadline for every accepted socket (Poco calls it on
// the acceptor thread); the request router disarms it once the request head
// has been parsed, and arms it again after each response on a connection Poco
// keeps alive: every request head of a connection has the same deadline. The
// watchdog cuts through its own reference to Poco's socket object, never by
// descriptor number: when Poco has already closed that socket (its session
// closes it on the way out) the cut finds it closed and does nothing, so it
// can never hit another connection that got the same descriptor number. Such
// a stale entry is replaced when the number is armed again, or dropped at its
// deadline.
//
// The watchdog also counts, per client address, the connections whose request
// head is pending (armed): one address may hold only so many at a time
// (limits.max_pending_per_address), so it cannot occupy every HTTP thread and
// queue place with heads it never finishes.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServer.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace chatd::limits {

// How an armed connection counts against its client address.
struct PendingAddress {
    std::string key;          // addressKey() of the peer; empty: not counted (exempt, or no limit)
    std::size_t limit = 0;    // the most pending heads `key` may have; 0: this arm is never refused
    bool kept_alive = false;  // waiting for the next request of a kept-alive connection: may be cut to make room
};

enum class ArmOutcome {
    Armed,
    MadeRoom,  // armed after cutting the address's oldest idle kept-alive connection (it was at its limit)
    Refused,   // the address is at its limit with no kept-alive connection to give up: not armed
};

class HandshakeWatchdog {
public:
    using Clock = std::chrono::steady_clock;
    using OnExpired = std::function<void(const Poco::Net::StreamSocket&)>;

    // Starts the watchdog's thread. `on_expired` runs (on that thread) for each
    // connection it cut (not for those Poco had closed meanwhile).
    explicit HandshakeWatchdog(OnExpired on_expired = {});
    ~HandshakeWatchdog();  // stops the thread and lets go of every socket
    HandshakeWatchdog(const HandshakeWatchdog&) = delete;
    HandshakeWatchdog& operator=(const HandshakeWatchdog&) = delete;

    // Cuts `socket` (shutdown both ways) at `deadline` unless disarmed first,
    // counting it against `address` meanwhile (see ArmOutcome).
    ArmOutcome arm(const Poco::Net::StreamSocket& socket, Clock::time_point deadline, PendingAddress address = {});
    // Forgets the deadline of the socket with descriptor `fd`; false when none was armed.
    bool disarm(int fd);

    std::size_t armed() const;
    // Armed connections counted under `key` (some may have been closed by Poco since).
    std::size_t pending(const std::string& key) const;
    std::uint64_t expired() const { return expired_.load(std::memory_order_relaxed); }

private:
    struct Entry {
        Poco::Net::StreamSocket socket;
        Clock::time_point deadline;
        std::string key;
        bool kept_alive = false;
    };
    using Entries = std::map<int, Entry>;

    void run();
    std::size_t countOf(const std::string& key) const;  // pending(), with the lock held
    // Removes an entry from every index; returns its socket (to be released outside the lock).
    Poco::Net::StreamSocket forget(Entries::iterator it);
    // Forgets the entries of `key` whose socket Poco has closed.
    void forgetClosed(const std::string& key, std::vector<Poco::Net::StreamSocket>& released);
    // The oldest entry of `key` waiting on a kept-alive connection, or end.
    Entries::iterator oldestKeptAlive(const std::string& key);

    OnExpired on_expired_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    Entries by_fd_;
    std::set<std::pair<Clock::time_point, int>> by_deadline_;
    std::unordered_map<std::string, std::vector<int>> by_key_;  // descriptors, oldest armed first
    bool stopping_ = false;
    std::atomic<std::uint64_t> expired_{0};
    std::thread thread_;
};

// Arms `watchdog` for every connection Poco accepts, unless `refuse` says no:
// then Poco closes the connection at once (the watchdog keeps no reference).
class HandshakeFilter : public Poco::Net::TCPServerConnectionFilter {
public:
    using Refuse = std::function<bool(const Poco::Net::StreamSocket&)>;
    // `timeout` is read on each accept, so a reload can change it.
    HandshakeFilter(HandshakeWatchdog& watchdog, std::function<std::chrono::milliseconds()> timeout, Refuse refuse = {})
        : watchdog_(watchdog), timeout_(std::move(timeout)), refuse_(std::move(refuse)) {}
    bool accept(const Poco::Net::StreamSocket& socket) override;

private:
    HandshakeWatchdog& watchdog_;
    std::function<std::chrono::milliseconds()> timeout_;
    Refuse refuse_;
};

// The connection a request arrived on (Poco's server requests only). After an
// upgrade took the socket over it is an empty socket (descriptor -1).
Poco::Net::StreamSocket& socketOf(const Poco::Net::HTTPServerRequest& request);
// Its descriptor.
int socketFdOf(const Poco::Net::HTTPServerRequest& request);

}  // namespace chatd::limits
