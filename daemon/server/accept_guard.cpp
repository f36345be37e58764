#include "server/accept_guard.h"

#include <Poco/Net/NetException.h>

#include <algorithm>
#include <string>

#include "limits/address_key.h"

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

class AcceptGuard : public Poco::Net::TCPServerConnectionFilter {
public:
    AcceptGuard(const Poco::Net::TCPServer& server, int max_queued, limits::HandshakeWatchdog& watchdog,
                AcceptGuardSources sources, limits::LimitEvents& limit_events)
        : server_(server),
          max_queued_(max_queued),
          watchdog_(watchdog),
          sources_(std::move(sources)),
          limit_events_(limit_events) {}

    // Only Poco's acceptor thread calls this, and enqueues right after it, so
    // the queue cannot grow between this check and the dispatcher's own.
    // Refused: Poco closes the connection at once (left to Poco's dispatcher a
    // connection beyond the queue would be dropped unclosed, and the
    // watchdog's reference would keep it open until its deadline).
    bool accept(const Poco::Net::StreamSocket& socket) override {
        if (server_.queuedConnections() >= max_queued_) {
            limit_events_.hit(limits::Limit::HttpQueue, "closed the connection of " + peerOf(socket) + ": " +
                                                            std::to_string(max_queued_) +
                                                            " connections already wait for an HTTP thread");
            return false;
        }
        const auto config = sources_.config();
        std::string host;
        try {
            host = socket.peerAddress().host().toString();
        } catch (const Poco::Exception&) {
            return false;  // gone already
        }
        const limits::PendingAddress address = pendingAddressOf(host, *config, *sources_.address_lists(), false);
        const auto deadline = limits::HandshakeWatchdog::Clock::now() + config->limits.handshake_timeout;
        switch (watchdog_.arm(socket, deadline, address)) {
            case limits::ArmOutcome::Armed:
                return true;
            case limits::ArmOutcome::MadeRoom:
                limit_events_.hit(limits::Limit::PendingPerAddress,
                                  "closed an idle kept-alive connection of " + address.key + " for its new one (" +
                                      std::to_string(address.limit) + " request heads pending at most)");
                return true;
            case limits::ArmOutcome::Refused:
                limit_events_.hit(limits::Limit::PendingPerAddress,
                                  "closed a new connection of " + address.key + ": " +
                                      std::to_string(address.limit) + " of its request heads are pending");
                return false;
        }
        return false;
    }

private:
    const Poco::Net::TCPServer& server_;
    const int max_queued_;
    limits::HandshakeWatchdog& watchdog_;
    AcceptGuardSources sources_;
    limits::LimitEvents& limit_events_;
};

}  // namespace

std::unique_ptr<limits::HandshakeWatchdog> makeHandshakeWatchdog(limits::LimitEvents& limit_events) {
    return std::make_unique<limits::HandshakeWatchdog>([&limit_events](const Poco::Net::StreamSocket& cut) {
        limit_events.hit(limits::Limit::HandshakeTimeout, peerOf(cut) + " did not send its request head in time");
    });
}

std::size_t pendingHeadsPerAddress(const config::Config& config) {
    if (config.limits.max_pending_per_address == 0) return 0;
    return std::min<std::size_t>(config.limits.max_pending_per_address, std::max(1u, config.http.threads / 2));
}

limits::PendingAddress pendingAddressOf(std::string_view peer_host, const config::Config& config,
                                        const limits::AddressLists& lists, bool kept_alive) {
    const std::size_t limit = pendingHeadsPerAddress(config);
    if (limit == 0 || limits::inAnyNetwork(lists.exempt, peer_host) || limits::inAnyNetwork(lists.trusted_proxies, peer_host))
        return {};
    auto key = limits::addressKey(peer_host);
    if (!key) return {};
    return {std::move(*key), kept_alive ? 0 : limit, kept_alive};
}

Poco::Net::TCPServerConnectionFilter::Ptr makeAcceptGuard(const Poco::Net::TCPServer& server, int max_queued,
                                                          limits::HandshakeWatchdog& watchdog,
                                                          AcceptGuardSources sources, limits::LimitEvents& limit_events) {
    return Poco::makeAuto<AcceptGuard>(server, max_queued, watchdog, std::move(sources), limit_events);
}

}  // namespace chatd::server
