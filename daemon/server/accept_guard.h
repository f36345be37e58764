// AcceptGuard: the checks on a connection Poco has just accepted, before any
// byte of it is read — the handshake deadline (limits.handshake_timeout:
// every request head must arrive in time, however it is dribbled) and the
// HTTP queue (http.max_queued: a connection that would only wait is closed at
// once). Both hits are counted and logged through LimitEvents.
#pragma once

#include <Poco/Net/TCPServer.h>

#include <chrono>
#include <functional>
#include <memory>

#include "limits/handshake_deadline.h"
#include "limits/limit_events.h"

namespace chatd::server {

// A watchdog whose cuts are counted and logged as handshake_timeout hits.
std::unique_ptr<limits::HandshakeWatchdog> makeHandshakeWatchdog(limits::LimitEvents& limit_events);

// The connection filter for `server` (set before it starts): refuses a
// connection when `max_queued` already wait for a thread (Poco then closes it
// at once; left to Poco's dispatcher it would be dropped unclosed, and the
// watchdog's reference would keep it open until its deadline); arms the
// watchdog for every other. `timeout` is read on each accept (reloads).
Poco::Net::TCPServerConnectionFilter::Ptr makeAcceptGuard(const Poco::Net::TCPServer& server, int max_queued,
                                                          limits::HandshakeWatchdog& watchdog,
                                                          std::function<std::chrono::milliseconds()> timeout,
                                                          limits::LimitEvents& limit_events);

}  // namespace chatd::server
