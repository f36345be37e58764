// AcceptGuard: the checks on a connection Poco has just accepted, before any
// byte of it is read — the HTTP queue (http.max_queued: a connection that
// would only wait is closed at once), the handshake deadline
// (limits.handshake_timeout: every request head must arrive in time, however
// it is dribbled) and the request heads one address may have pending
// (limits.max_pending_per_address: the excess is closed at once, so one
// address cannot hold every HTTP thread and queue place). Every hit is
// counted and logged through LimitEvents.
#pragma once

#include <Poco/Net/TCPServer.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "config/config.h"
#include "limits/address_key.h"
#include "limits/handshake_deadline.h"
#include "limits/limit_events.h"

namespace chatd::server {

// A watchdog whose cuts are counted and logged as handshake_timeout hits.
std::unique_ptr<limits::HandshakeWatchdog> makeHandshakeWatchdog(limits::LimitEvents& limit_events);

// The request heads one address may have pending: limits.max_pending_per_address,
// but never more than half of http.threads (the rest stay free for other
// addresses); 0 = no limit.
std::size_t pendingHeadsPerAddress(const config::Config& config);

// How a connection from `peer_host` counts while its request head is pending:
// under its address key (IPv6 per /64), unless the address is exempt
// (limits.exempt_addresses) or a trusted proxy (which carries many clients).
// `kept_alive`: armed again after a response, never refused.
limits::PendingAddress pendingAddressOf(std::string_view peer_host, const config::Config& config,
                                        const limits::AddressLists& lists, bool kept_alive);

// The current configuration and its parsed address lists, read on each accept (reloads).
struct AcceptGuardSources {
    std::function<std::shared_ptr<const config::Config>()> config;
    std::function<std::shared_ptr<const limits::AddressLists>()> address_lists;
};

// The connection filter for `server` (set before it starts); `max_queued` is
// http.max_queued (restart only).
Poco::Net::TCPServerConnectionFilter::Ptr makeAcceptGuard(const Poco::Net::TCPServer& server, int max_queued,
                                                          limits::HandshakeWatchdog& watchdog,
                                                          AcceptGuardSources sources, limits::LimitEvents& limit_events);

}  // namespace chatd::server
