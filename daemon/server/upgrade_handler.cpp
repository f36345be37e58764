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
#include "server/origin_policy.h"
#include "ws/handshake.h"

namespace chatd::server {

namespace {

using Poco::Net::HTTPResponse;
constexpr std::string_view kSubProtocol = "chatd.v1";

void refuse(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
            HTTPResponse::HTTPStatus status, std::string_view reason) {
    spdlog::info("upgrade refused: peer {} path {}: {} {}", request.clientAddress().toString(), request.getURI(),
                 static_cast<int>(status), reason);
    response.setKeepAlive(false);
    http::sendPlainError(response, status, reason);
}

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

bool isUpgradeRequest(const Poco::Net::HTTPServerRequest& request) {
    return Poco::icompare(request.get("Upgrade", ""), "websocket") == 0;
}

void UpgradeHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
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
    if (request.has("Origin") &&
        !isOriginAllowed(request.get("Origin"), request.getHost(), config->websocket.allowed_origins))
        return refuse(request, response, HTTPResponse::HTTP_FORBIDDEN, "origin not allowed");

    chat::Mode mode = chat::Mode::Raw;
    if (request.has("Sec-WebSocket-Protocol")) {
        const auto offered = ws::splitTokenList(request.get("Sec-WebSocket-Protocol"));
        if (std::find(offered.begin(), offered.end(), kSubProtocol) == offered.end())
            return refuse(request, response, HTTPResponse::HTTP_BAD_REQUEST,
                          "unsupported sub-protocol (this server speaks chatd.v1, or none)");
        mode = chat::Mode::Json;
    }
    net::ConnectionSlot slot;
    if (!context_.slots().tryAcquire(config->limits.max_connections, slot)) {
        response.set("Retry-After", "5");
        return refuse(request, response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "connection limit reached");
    }

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
    context_.adopt(std::move(fd), request.clientAddress().toString(), std::move(early_bytes), mode, std::move(slot));
}

}  // namespace chatd::server
