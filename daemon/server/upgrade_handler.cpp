#include "server/upgrade_handler.h"

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "http/security_headers.h"
#include "metrics/daemon_metrics.h"
#include "plugin_host/pipeline.h"
#include "limits/address_key.h"
#include "server/origin_policy.h"
#include "server/security.h"
#include "ws/handshake.h"

namespace chatd::server {

namespace {

using Poco::Net::HTTPResponse;
constexpr std::string_view kSubProtocol = "chatd.v1";

// Takes the socket out of Poco's hands as an owned, non-blocking descriptor.
util::UniqueFd takeSocket(Poco::Net::HTTPServerRequest& request, std::string& early_bytes) {
    auto& impl = static_cast<Poco::Net::HTTPServerRequestImpl&>(request);
    Poco::Net::StreamSocket socket = impl.detachSocket();
    Poco::Buffer<char> buffered(0);
    impl.session().drainBuffer(buffered);  // bytes the HTTP parser read past the request
    early_bytes.assign(buffered.begin(), buffered.size());
    util::UniqueFd fd(::fcntl(socket.impl()->sockfd(), F_DUPFD_CLOEXEC, 0));
    if (!fd) return fd;  // Poco closes its copy when `socket` goes out of scope
    const int flags = ::fcntl(fd.get(), F_GETFL);
    ::fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK);
    const int one = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

}  // namespace

std::string joinedHeaderValues(const Poco::Net::NameValueCollection& headers, const std::string& name) {
    std::string joined;
    for (const auto& [key, value] : headers) {
        if (Poco::icompare(key, name) != 0) continue;
        if (!joined.empty()) joined += ", ";
        joined += value;
    }
    return joined;
}

bool isUpgradeRequest(const Poco::Net::HTTPServerRequest& request) {
    return Poco::icompare(request.get("Upgrade", ""), "websocket") == 0;
}

void UpgradeHandler::refuse(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                            HTTPResponse::HTTPStatus status, std::string_view reason, bool logged) {
    if (!logged) context_.security().logRefusedUpgrade(request, static_cast<int>(status), reason);
    response.setKeepAlive(false);
    http::sendPlainError(response, status, reason);
}

// Counts how the upgrade ended (chatd_upgrades_total{result}).
void UpgradeHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    std::string outcome = "bad_request";
    handleUpgrade(request, response, outcome);
    context_.metrics().upgrades.with({outcome}).inc();
}

void UpgradeHandler::handleUpgrade(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                                   std::string& outcome) {
    const auto config = context_.config();
    if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_GET || request.getVersion() != "HTTP/1.1")
        return refuse(request, response, HTTPResponse::HTTP_BAD_REQUEST, "a WebSocket upgrade is a GET over HTTP/1.1");
    if (!ws::headerHasToken(request.get("Connection", ""), "upgrade"))
        return refuse(request, response, HTTPResponse::HTTP_BAD_REQUEST, "missing 'Connection: Upgrade'");
    if (request.get("Sec-WebSocket-Version", "") != "13") {
        response.set("Sec-WebSocket-Version", "13");
        return refuse(request, response, HTTPResponse::HTTP_UPGRADE_REQUIRED, "only WebSocket version 13 is supported");
    }
    const std::string key = Poco::trim(request.get("Sec-WebSocket-Key", ""));
    if (!ws::isValidClientKey(key))
        return refuse(request, response, HTTPResponse::HTTP_BAD_REQUEST, "missing or malformed Sec-WebSocket-Key");
    if (request.has("Origin")) {
        const OriginVerdict verdict =
            checkOrigin(request.get("Origin"), request.get("Host", ""), config->websocket.allowed_origins);
        if (verdict != OriginVerdict::Allowed) {
            outcome = "origin";
            return refuse(request, response, HTTPResponse::HTTP_FORBIDDEN, originRefusalReason(verdict));
        }
    }

    chat::Mode mode = chat::Mode::Raw;
    if (request.has("Sec-WebSocket-Protocol")) {
        const auto offered = ws::splitTokenList(joinedHeaderValues(request, "Sec-WebSocket-Protocol"));
        if (std::find(offered.begin(), offered.end(), kSubProtocol) == offered.end()) {
            outcome = "subprotocol";
            return refuse(request, response, HTTPResponse::HTTP_BAD_REQUEST,
                          "unsupported sub-protocol (this server speaks chatd.v1, or none)");
        }
        mode = chat::Mode::Json;
    }
    Admission admission = context_.security().admit(request, *config, context_.slots(), mode);
    if (!admission.admitted()) {
        outcome = admission.outcome;
        if (!admission.retry_after.empty()) response.set("Retry-After", admission.retry_after);
        if (admission.status == HTTPResponse::HTTP_UNAUTHORIZED) response.set("WWW-Authenticate", "Bearer");
        return refuse(request, response, admission.status, admission.reason, true);
    }
    if (!admitByPlugins(request, response, mode, admission)) {
        outcome = "plugin";
        return;
    }
    outcome = "accepted";
    // The connections gauge goes down when the connection (and its slot) ends.
    struct CountedConnection {
        metrics::Gauge& gauge;
        explicit CountedConnection(metrics::Gauge& g) : gauge(g) { gauge.inc(); }
        ~CountedConnection() { gauge.dec(); }
    };
    admission.slot.keep(std::make_shared<CountedConnection>(
        context_.metrics().connections.with({mode == chat::Mode::Json ? "json" : "raw"})));

    response.setStatusAndReason(HTTPResponse::HTTP_SWITCHING_PROTOCOLS);
    response.set("Upgrade", "websocket");
    response.set("Connection", "Upgrade");
    response.set("Sec-WebSocket-Accept", ws::computeAcceptKey(key));
    if (mode == chat::Mode::Json) response.set("Sec-WebSocket-Protocol", std::string(kSubProtocol));
    response.send().flush();

    std::string early_bytes;
    util::UniqueFd fd = takeSocket(request, early_bytes);
    if (!fd) {
        spdlog::error("upgrade: cannot take over the socket of {}: {}", request.clientAddress().toString(),
                      std::strerror(errno));
        return;
    }
    std::string peer = request.clientAddress().toString();
    if (admission.client != limits::hostOfPeer(peer)) peer += " (client " + admission.client + ")";
    context_.adopt(std::move(fd), std::move(peer), std::move(early_bytes), mode, std::move(admission.slot),
                   {.address = admission.client, .locked_nick = std::move(admission.nick),
                    .claims_json = std::move(admission.claims_json)});
}

// The plugins' on_connect: false (after answering 403 with the plugin's
// reason) when one refuses the connection.
bool UpgradeHandler::admitByPlugins(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                                    chat::Mode mode, const Admission& admission) {
    const auto pipeline = context_.pipeline();
    if (!pipeline || !pipeline->hasConnectHooks()) return true;
    const std::string origin = request.get("Origin", "");
    const std::string& uri = request.getURI();
    const std::string path = uri.substr(0, uri.find_first_of("?#"));
    const plugin_host::Admission verdict = pipeline->onConnect({.address = admission.client,
                                                                .origin = origin,
                                                                .path = path,
                                                                .mode = mode == chat::Mode::Json ? "json" : "raw",
                                                                .claims_json = admission.claims_json});
    if (verdict.admitted) return true;
    refuse(request, response, HTTPResponse::HTTP_FORBIDDEN, verdict.reason);
    return false;
}

}  // namespace chatd::server
