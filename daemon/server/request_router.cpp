#include "server/request_router.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <memory>

#include "http/request_framing.h"
#include "http/security_headers.h"
#include "http/static_file_handler.h"
#include "metrics/daemon_metrics.h"
#include "server/security.h"
#include "server/upgrade_handler.h"

namespace chatd::server {

namespace {

// The path part of a request target ("/ws?x=1" -> "/ws").
std::string_view pathOf(const std::string& uri) {
    std::string_view path(uri);
    return path.substr(0, path.find_first_of("?#"));
}

class HealthHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit HealthHandler(ServerContext& context) : context_(context) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        const std::string body = context_.healthJson();
        http::applySecurityHeaders(response);
        response.setContentType("application/json");
        response.set("Cache-Control", "no-store");
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        auto& out = response.send();
        if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_HEAD) out << body;
    }

private:
    ServerContext& context_;
};

// A fixed error answer (e.g. 404 for an upgrade on an unknown path). With
// `close`, the connection ends after it: what is left of the request (a
// body, the rest of an oversized head) is never read, so none of it can be
// taken for a next request.
class ErrorHandler : public Poco::Net::HTTPRequestHandler {
public:
    ErrorHandler(Poco::Net::HTTPResponse::HTTPStatus status, std::string message, bool close = false)
        : status_(status), message_(std::move(message)), close_(close) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        if (close_) response.setKeepAlive(false);
        http::sendPlainError(response, status_, message_, request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD);
    }

private:
    Poco::Net::HTTPResponse::HTTPStatus status_;
    std::string message_;
    bool close_;
};

// Runs the chosen handler, then re-arms the handshake deadline when the
// connection stays open for another request (a keep-alive connection must
// not dribble its second request head for ever).
class DeadlineRearming : public Poco::Net::HTTPRequestHandler {
public:
    DeadlineRearming(ServerContext& context, std::shared_ptr<const config::Config> config,
                     std::unique_ptr<Poco::Net::HTTPRequestHandler> handler)
        : context_(context), config_(std::move(config)), handler_(std::move(handler)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        handler_->handleRequest(request, response);
        context_.security().rearmForNextRequest(request, response, *config_);
    }

private:
    ServerContext& context_;
    std::shared_ptr<const config::Config> config_;
    std::unique_ptr<Poco::Net::HTTPRequestHandler> handler_;
};

}  // namespace

Poco::Net::HTTPRequestHandler* RequestRouter::createRequestHandler(const Poco::Net::HTTPServerRequest& request) {
    const auto config = context_.config();
    const std::string_view path = pathOf(request.getURI());
    std::unique_ptr<Poco::Net::HTTPRequestHandler> handler;
    if (auto refusal = context_.security().checkRequestHead(request, *config)) {
        handler = std::make_unique<ErrorHandler>(Poco::Net::HTTPResponse::HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
                                                 *refusal, true);
        if (isUpgradeRequest(request)) context_.metrics().upgrades.with({"header_size"}).inc();
    } else if (auto framing = http::checkRequestFraming(request)) {
        // Set before Poco looks at "Expect: 100-continue": no body is invited
        // only to be refused.
        request.response().setStatus(framing->status);
        handler = std::make_unique<ErrorHandler>(framing->status, framing->reason, true);
        if (isUpgradeRequest(request)) context_.metrics().upgrades.with({"bad_request"}).inc();
    } else if (isUpgradeRequest(request)) {
        if (path == config->websocket.path || path == "/") {
            handler = std::make_unique<UpgradeHandler>(context_);
        } else {
            handler = std::make_unique<ErrorHandler>(Poco::Net::HTTPResponse::HTTP_NOT_FOUND,
                                                     "no WebSocket endpoint at this path");
            context_.metrics().upgrades.with({"not_found"}).inc();
        }
    } else if (path == "/healthz") {
        handler = std::make_unique<HealthHandler>(context_);
    } else {
        handler = std::make_unique<http::StaticFileHandler>(config->public_dir);
    }
    // Ownership passes to Poco's HTTPServerConnection.
    return std::make_unique<DeadlineRearming>(context_, config, std::move(handler)).release();
}

}  // namespace chatd::server
