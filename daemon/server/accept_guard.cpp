#include "server/accept_guard.h"

#include <Poco/Net/NetException.h>

#include <string>

namespace chatd::server {

namespace {

// "1.2.3.4:5678", or "a client" when the peer is already gone.
std::string peerOf(const Poco::Net::StreamSocket& socket) {
    try {
        return socket.peerAddress().toString();
    } catch (const Poco::Exception&) {
        return "a client";
    }
}

}  // namespace

std::unique_ptr<limits::HandshakeWatchdog> makeHandshakeWatchdog(limits::LimitEvents& limit_events) {
    return std::make_unique<limits::HandshakeWatchdog>([&limit_events](const Poco::Net::StreamSocket& cut) {
        limit_events.hit(limits::Limit::HandshakeTimeout, peerOf(cut) + " did not send its request head in time");
    });
}

Poco::Net::TCPServerConnectionFilter::Ptr makeAcceptGuard(const Poco::Net::TCPServer& server, int max_queued,
                                                          limits::HandshakeWatchdog& watchdog,
                                                          std::function<std::chrono::milliseconds()> timeout,
                                                          limits::LimitEvents& limit_events) {
    // Only Poco's acceptor thread enqueues (right after this filter), so the
    // queue cannot grow between this check and the dispatcher's own.
    auto queue_full = [&server, max_queued, &limit_events](const Poco::Net::StreamSocket& socket) {
        if (server.queuedConnections() < max_queued) return false;
        limit_events.hit(limits::Limit::HttpQueue, "closed the connection of " + peerOf(socket) + ": " +
                                                       std::to_string(max_queued) +
                                                       " connections already wait for an HTTP thread");
        return true;
    };
    return Poco::makeAuto<limits::HandshakeFilter>(watchdog, std::move(timeout), std::move(queue_full));
}

}  // namespace chatd::server
