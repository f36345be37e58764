#include "metrics/metrics_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <stdexcept>

#include "metrics/text_encoder.h"

namespace chatd::metrics {

namespace {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

class ScrapeHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit ScrapeHandler(const Registry& registry) : registry_(registry) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        response.set("X-Content-Type-Options", "nosniff");
        response.set("Cache-Control", "no-store");
        const std::string path = request.getURI().substr(0, request.getURI().find('?'));
        const bool head = request.getMethod() == HTTPRequest::HTTP_HEAD;
        std::string body;
        if (path != "/metrics") {
            response.setStatusAndReason(HTTPResponse::HTTP_NOT_FOUND);
            body = "not found: metrics are at /metrics\n";
        } else if (!head && request.getMethod() != HTTPRequest::HTTP_GET) {
            response.setStatusAndReason(HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
            response.set("Allow", "GET, HEAD");
            body = "method not allowed\n";
        } else {
            body = encodeText(registry_.collect());
            response.setContentType(std::string(kTextContentType));
        }
        if (response.getStatus() != HTTPResponse::HTTP_OK) response.setContentType("text/plain; charset=utf-8");
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        auto& out = response.send();
        if (!head) out << body;
    }

private:
    const Registry& registry_;
};

// The request has arrived (a scrape has no body): its deadline is disarmed.
class ScrapeFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    ScrapeFactory(const Registry& registry, limits::HandshakeWatchdog& watchdog)
        : registry_(registry), watchdog_(watchdog) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override {
        watchdog_.disarm(limits::socketFdOf(request));
        return new ScrapeHandler(registry_);  // Poco takes ownership
    }

private:
    const Registry& registry_;
    limits::HandshakeWatchdog& watchdog_;
};

constexpr int kMaxQueued = 16;

}  // namespace

MetricsServer::MetricsServer(const Registry& registry, const std::string& address, std::uint16_t port,
                             limits::HandshakeWatchdog& watchdog,
                             std::function<std::chrono::milliseconds()> request_timeout, unsigned threads) {
    Poco::Net::ServerSocket socket;
    try {
        const Poco::Net::SocketAddress bind_to(address, port);
        if (bind_to.family() == Poco::Net::SocketAddress::IPv6)
            socket.bind6(bind_to, true, false, false);
        else
            socket.bind(bind_to, true, false);
        socket.listen(64);
    } catch (const Poco::Exception& error) {
        throw std::runtime_error("metrics: cannot listen on " + address + ":" + std::to_string(port) + ": " +
                                 error.displayText());
    }
    const auto bound = socket.address();
    port_ = bound.port();
    host_ = bound.family() == Poco::Net::SocketAddress::IPv6 ? "[" + bound.host().toString() + "]"
                                                             : bound.host().toString();
    auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
    params->setMaxThreads(static_cast<int>(threads));
    params->setMaxQueued(kMaxQueued);
    params->setTimeout(Poco::Timespan(5, 0));
    params->setKeepAlive(false);
    params->setServerName("chatd-metrics");
    pool_ = std::make_unique<Poco::ThreadPool>("metrics", static_cast<int>(threads), static_cast<int>(threads));
    server_ = std::make_unique<Poco::Net::HTTPServer>(Poco::makeShared<ScrapeFactory>(registry, watchdog), *pool_,
                                                      socket, params);
    // A connection beyond the queue is closed at once (see server/accept_guard.h).
    auto queue_full = [server = server_.get()](const Poco::Net::StreamSocket&) {
        return server->queuedConnections() >= kMaxQueued;
    };
    server_->setConnectionFilter(
        Poco::makeAuto<limits::HandshakeFilter>(watchdog, std::move(request_timeout), std::move(queue_full)));
    server_->start();
}

MetricsServer::~MetricsServer() {
    server_->stopAll(true);
    pool_->joinAll();
}

std::string MetricsServer::url() const { return "http://" + host_ + ":" + std::to_string(port_) + "/metrics"; }

}  // namespace chatd::metrics
