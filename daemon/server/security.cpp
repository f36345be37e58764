#include "server/security.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/String.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>

#include "auth/jwt_verifier.h"
#include "auth/token_source.h"
#include "limits/address_key.h"
#include "limits/address_limiter.h"
#include "limits/handshake_deadline.h"
#include "limits/limit_events.h"
#include "limits/request_size.h"
#include "metrics/daemon_metrics.h"
#include "server/accept_guard.h"
#include "util/log_text.h"

namespace chatd::server {

namespace {

using Poco::Net::HTTPResponse;


// Whole seconds, rounded up, at least 1: the Retry-After of a 429.
std::string retryAfterSeconds(std::chrono::milliseconds wait) {
    return std::to_string(std::max<long long>(1, (wait.count() + 999) / 1000));
}

// The config loader has no warnings: say it here, once per start or reload.
void warnIfOthersCanRead(const std::string& secret_file) {
    struct stat info {};
    if (secret_file.empty() || ::stat(secret_file.c_str(), &info) != 0) return;
    if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        spdlog::warn("auth.secret_file {} can be read by group or others (mode {:04o}): chmod 600 it", secret_file,
                     static_cast<unsigned>(info.st_mode & 07777));
}

}  // namespace

std::string forwardedForOf(const Poco::Net::HTTPServerRequest& request) {
    std::string joined;
    for (const auto& [name, value] : request) {
        if (Poco::icompare(name, "X-Forwarded-For") != 0) continue;
        if (!joined.empty()) joined += ',';
        joined += value;
    }
    return joined;
}

auth::JwtSettings jwtSettingsOf(const config::AuthConfig& auth) {
    auth::JwtSettings settings;
    settings.secret = auth.secret;
    settings.issuer = auth.issuer;
    settings.audience = auth.audience;
    settings.nick_claim = auth.nick_claim;
    settings.leeway = auth.leeway;
    return settings;
}

Security::Security(metrics::DaemonMetrics& metrics, limits::LimitEvents& limit_events)
    : metrics_(metrics),
      limit_events_(limit_events),
      addresses_(limits::AddressLimiter::create()),
      address_lists_(std::make_shared<const limits::AddressLists>()) {}

Security::~Security() = default;

void Security::configure(const config::Config& config) {
    std::shared_ptr<const auth::JwtVerifier> verifier;  // built first: it may throw, and then nothing changes
    if (config.auth.mode == config::AuthMode::Jwt) {
        warnIfOthersCanRead(config.auth.secret_file);
        verifier = std::make_shared<const auth::JwtVerifier>(jwtSettingsOf(config.auth));
    }
    verifier_.store(std::move(verifier));
    address_lists_.store(std::make_shared<const limits::AddressLists>(limits::AddressLists{
        limits::parseNetworks(config.limits.trusted_proxies), limits::parseNetworks(config.limits.exempt_addresses)}));
}

std::optional<std::string> Security::checkRequestHead(const Poco::Net::HTTPServerRequest& request,
                                                      const config::Config& config) {
    if (watchdog_) watchdog_->disarm(limits::socketFdOf(request));
    const std::size_t bytes = limits::requestHeadBytes(request);
    if (bytes <= config.limits.max_header_bytes) return std::nullopt;
    limit_events_.hit(limits::Limit::HeaderSize,
                      "request head of " + std::to_string(bytes) + " bytes from " + request.clientAddress().toString() +
                          " (limit " + std::to_string(config.limits.max_header_bytes) + ")");
    return "request header fields too large";
}

void Security::rearmForNextRequest(const Poco::Net::HTTPServerRequest& request,
                                   const Poco::Net::HTTPServerResponse& response, const config::Config& config) {
    if (!watchdog_ || !response.getKeepAlive() || response.getStatus() == HTTPResponse::HTTP_SWITCHING_PROTOCOLS)
        return;
    const Poco::Net::StreamSocket& socket = limits::socketOf(request);
    if (socket.impl()->sockfd() == POCO_INVALID_SOCKET) return;  // taken over by an upgrade
    watchdog_->arm(socket, limits::HandshakeWatchdog::Clock::now() + config.limits.handshake_timeout,
                   pendingAddressOf(request.clientAddress().host().toString(), config, *address_lists_.load(), true));
}

Admission Security::admit(const Poco::Net::HTTPServerRequest& request, const config::Config& config,
                          net::ConnectionSlots& slots, chat::Mode) {
    Admission admission;
    const std::string peer = request.clientAddress().toString();
    const std::string forwarded_for = forwardedForOf(request);
    const auto lists = address_lists_.load();
    admission.client = limits::clientAddress(limits::hostOfPeer(peer), forwarded_for, lists->trusted_proxies);
    if (forwarded_for.empty()) warnOnceIfProxyNamesNoClient(limits::hostOfPeer(peer), lists->trusted_proxies);
    if (!slots.tryAcquire(config.limits.max_connections, admission.slot)) {
        admission.status = HTTPResponse::HTTP_SERVICE_UNAVAILABLE;
        admission.reason = "connection limit reached";
        admission.outcome = "connections";
        admission.retry_after = "5";
        limit_events_.hit(limits::Limit::Connections, "refused " + admission.client + ": " +
                                                          std::to_string(config.limits.max_connections) +
                                                          " connections open");
        return admission;
    }
    if (!checkAddress(config, *lists, admission) || !checkToken(request, admission)) admission.slot = {};
    return admission;
}

// A trusted proxy that does not send X-Forwarded-For makes every client it
// forwards look like the proxy (exempt, or all sharing one address's limits).
// Said once per run: it is a deployment mistake, not an event.
void Security::warnOnceIfProxyNamesNoClient(std::string_view peer_host,
                                            const std::vector<limits::IpNetwork>& trusted_proxies) {
    if (proxy_without_forwarded_for_warned_.load(std::memory_order_relaxed)) return;
    if (!limits::inAnyNetwork(trusted_proxies, peer_host) || proxy_without_forwarded_for_warned_.exchange(true)) return;
    spdlog::warn(
        "limits.trusted_proxies: an upgrade from {} (a trusted proxy) carried no X-Forwarded-For; if that is your "
        "reverse proxy, every client it forwards counts as {} (set X-Forwarded-For in the proxy; nginx: "
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for). Logged once.",
        peer_host, peer_host);
}

bool Security::checkAddress(const config::Config& config, const limits::AddressLists& lists, Admission& admission) {
    if (limits::inAnyNetwork(lists.exempt, admission.client)) return true;
    const auto key = limits::addressKey(admission.client);
    if (!key) return true;  // not an IP literal (never, for a TCP peer)
    const limits::AddressLimits address_limits{config.limits.max_connections_per_address,
                                               static_cast<double>(config.limits.new_connections_per_second),
                                               static_cast<double>(config.limits.new_connections_burst)};
    limits::AddressLimiter::Result result = addresses_->admit(*key, address_limits);
    switch (result.verdict) {
        case limits::Admission::Admitted:
            if (result.slot) admission.slot.keep(std::make_shared<limits::AddressSlot>(std::move(result.slot)));
            return true;
        case limits::Admission::TooManyConnections:
            admission.status = HTTPResponse::HTTP_TOO_MANY_REQUESTS;
            admission.reason = "too many connections from your address";
            admission.outcome = "connections_per_address";
            admission.retry_after = "5";
            limit_events_.hit(limits::Limit::ConnectionsPerAddress,
                              *key + " holds " + std::to_string(result.open) + " connections (limit " +
                                  std::to_string(config.limits.max_connections_per_address) + ")");
            return false;
        case limits::Admission::TooFast:
            admission.status = HTTPResponse::HTTP_TOO_MANY_REQUESTS;
            admission.reason = "too many new connections from your address";
            admission.outcome = "connection_rate";
            admission.retry_after = retryAfterSeconds(result.retry_after);
            limit_events_.hit(limits::Limit::ConnectionRate,
                              *key + " opens connections faster than " +
                                  std::to_string(config.limits.new_connections_per_second) + "/s");
            return false;
        case limits::Admission::TableFull:
            admission.status = HTTPResponse::HTTP_SERVICE_UNAVAILABLE;
            admission.reason = "too many client addresses";
            admission.outcome = "address_table";
            admission.retry_after = "5";
            limit_events_.hit(limits::Limit::AddressTable, "no room to track " + *key);
            return false;
    }
    return false;
}

bool Security::checkToken(const Poco::Net::HTTPServerRequest& request, Admission& admission) {
    const auto verifier = verifier_.load();
    if (!verifier) return true;
    const auto token = auth::requestToken(request.getURI(), request.get("Authorization", ""));
    const auth::AuthResult result = verifier->verify(token.value_or(""));
    if (result) {
        admission.nick = result.nick;
        admission.claims_json = result.claims_json;
        return true;
    }
    admission.status = HTTPResponse::HTTP_UNAUTHORIZED;
    admission.reason = "a valid token is required";
    admission.outcome = "auth";
    metrics_.auth_failures.with({std::string(auth::failureName(*result.failure))}).inc();
    refused_token_log_.log(spdlog::level::warn, "upgrade refused (401): client {} {}: {}", admission.client,
                           util::LogText{auth::redactToken(request.getURI())}, util::LogText{result.reason});
    return false;
}

void Security::logRefusedUpgrade(const Poco::Net::HTTPServerRequest& request, int status, std::string_view reason) {
    refused_upgrade_log_.log(spdlog::level::info, "upgrade refused: peer {} path {}: {} {}",
                             request.clientAddress().toString(), util::LogText{auth::redactToken(request.getURI())},
                             status, reason);
}

}  // namespace chatd::server
