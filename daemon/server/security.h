// Security: the admission checks every WebSocket upgrade passes once its
// handshake headers are valid — limits.max_connections (503), the
// per-address limits (429), and with auth.mode jwt the token (401) — plus
// the request-head checks of every HTTP request (handshake deadline,
// limits.max_header_bytes: 431). Each refusal is counted and logged through
// LimitEvents; refused tokens and refused upgrades through their own
// util::LogThrottle. Thread-safe: HTTP threads call it concurrently.
#pragma once

#include <Poco/Net/HTTPResponse.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/session_ref.h"
#include "config/config.h"
#include "limits/address_key.h"
#include "net/connection_slots.h"
#include "util/log_throttle.h"

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net
namespace chatd::auth {
class JwtVerifier;
struct JwtSettings;
}  // namespace chatd::auth
namespace chatd::limits {
class AddressLimiter;
class HandshakeWatchdog;
class IpNetwork;
class LimitEvents;
}  // namespace chatd::limits
namespace chatd::metrics {
struct DaemonMetrics;
}

namespace chatd::server {

// The outcome of admit(): admitted (status 101) with its reservations, or a refusal.
struct Admission {
    Poco::Net::HTTPResponse::HTTPStatus status = Poco::Net::HTTPResponse::HTTP_SWITCHING_PROTOCOLS;
    std::string reason;       // a refusal's text (the response body and the log)
    std::string outcome;      // the `result` label of chatd_upgrades_total
    std::string retry_after;  // Retry-After value for 429/503, or empty
    net::ConnectionSlot slot; // admitted: held by the connection until it closes
    std::string nick;         // admitted with a token: the nick it names
    std::string claims_json;  // admitted with a token: its claims (JSON object); "" without
    std::string client;       // the client's address (X-Forwarded-For from a trusted proxy resolved)

    bool admitted() const { return status == Poco::Net::HTTPResponse::HTTP_SWITCHING_PROTOCOLS; }
};

// The client's X-Forwarded-For: every field of that name, in the order they
// arrived, joined with ',' (a proxy may append its own field rather than
// extend the client's; only the right-most entries are believed).
std::string forwardedForOf(const Poco::Net::HTTPServerRequest& request);

// The token checker's settings from the auth section (leeway to the millisecond).
auth::JwtSettings jwtSettingsOf(const config::AuthConfig& auth);

class Security {
public:
    Security(metrics::DaemonMetrics& metrics, limits::LimitEvents& limit_events);
    ~Security();
    Security(const Security&) = delete;
    Security& operator=(const Security&) = delete;

    // Takes up the auth settings and the address lists (trusted_proxies,
    // exempt_addresses, parsed here once) of `config`, at start and on each
    // reload. Throws std::invalid_argument when the auth settings are
    // unusable (a config that passed the loader never is).
    void configure(const config::Config& config);
    // The watchdog request heads disarm (set once the HTTP server exists).
    void setWatchdog(limits::HandshakeWatchdog* watchdog) { watchdog_ = watchdog; }

    // Every HTTP request, once its head is parsed: disarms the handshake
    // deadline; a 431 refusal when the head is over limits.max_header_bytes.
    std::optional<std::string> checkRequestHead(const Poco::Net::HTTPServerRequest& request,
                                                const config::Config& config);
    // Every HTTP request, once answered: when Poco keeps the connection alive,
    // the next request head must arrive within limits.handshake_timeout too
    // (the deadline is armed again). Not after an upgrade (the socket is gone).
    void rearmForNextRequest(const Poco::Net::HTTPServerRequest& request, const Poco::Net::HTTPServerResponse& response,
                             const config::Config& config);
    // An upgrade whose headers are valid: the connection, address and token
    // checks, in that order. The address lists are those of the last configure().
    Admission admit(const Poco::Net::HTTPServerRequest& request, const config::Config& config,
                    net::ConnectionSlots& slots, chat::Mode mode);

    // The address lists of the last configure(); never null.
    std::shared_ptr<const limits::AddressLists> addressLists() const { return address_lists_.load(); }
    // Logs an upgrade refused with `status` (rate-limited; the target escaped,
    // cut short and with its token redacted). Refusals by admit() are logged there.
    void logRefusedUpgrade(const Poco::Net::HTTPServerRequest& request, int status, std::string_view reason);

private:
    bool checkAddress(const config::Config& config, const limits::AddressLists& lists, Admission& admission);
    void warnOnceIfProxyNamesNoClient(std::string_view peer_host,
                                      const std::vector<limits::IpNetwork>& trusted_proxies);
    bool checkToken(const Poco::Net::HTTPServerRequest& request, Admission& admission);

    metrics::DaemonMetrics& metrics_;
    limits::LimitEvents& limit_events_;
    std::shared_ptr<limits::AddressLimiter> addresses_;
    std::atomic<std::shared_ptr<const auth::JwtVerifier>> verifier_;  // null: auth.mode none
    std::atomic<std::shared_ptr<const limits::AddressLists>> address_lists_;  // never null
    limits::HandshakeWatchdog* watchdog_ = nullptr;
    std::atomic<bool> proxy_without_forwarded_for_warned_{false};
    util::LogThrottle refused_token_log_;
    util::LogThrottle refused_upgrade_log_;
};

}  // namespace chatd::server
