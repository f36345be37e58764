// Helpers shared by the security integration tests: plain HTTP requests,
// raw TCP exchanges, the server's metrics as text, bounded waiting.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include "metrics/registry.h"
#include "metrics/text_encoder.h"
#include "prometheus_sample.h"
#include "test_server.h"

namespace chatd::testing {

struct HttpReply {
    int status = 0;
    Poco::Net::HTTPResponse response;
    std::string body;
};

// One request on a fresh connection; `headers` are added to it.
inline HttpReply httpRequest(std::uint16_t port, const std::string& path,
                             const std::map<std::string, std::string>& headers = {},
                             const std::string& method = "GET") {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) request.set(name, value);
    session.sendRequest(request);
    HttpReply reply;
    std::istream& body = session.receiveResponse(reply.response);
    Poco::StreamCopier::copyToString(body, reply.body);
    reply.status = reply.response.getStatus();
    return reply;
}

// What the server sent back on one raw TCP connection that was given `bytes`,
// read until the server closed it (`closed`) or `quiet` passed without a byte.
struct RawExchange {
    std::string received;
    bool closed = false;
};

inline RawExchange rawExchange(std::uint16_t port, const std::string& bytes,
                               std::chrono::milliseconds quiet = std::chrono::seconds(3)) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
    socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    RawExchange exchange;
    char buffer[4096];
    while (socket.poll(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(quiet).count()),
                       Poco::Net::Socket::SELECT_READ)) {
        int got = 0;
        try {
            got = socket.receiveBytes(buffer, sizeof buffer);
        } catch (const Poco::Exception&) {  // reset: closed all the same
        }
        if (got <= 0) {
            exchange.closed = true;
            break;
        }
        exchange.received.append(buffer, static_cast<std::size_t>(got));
    }
    return exchange;
}

// Every metric of `server` in the Prometheus text format (what /metrics serves).
inline std::string metricsText(TestServer& server) {
    return metrics::encodeText(server.server().metricsRegistry().collect());
}

inline double metricValue(TestServer& server, const std::string& series) {
    return sampleValue(metricsText(server), series);
}

// Polls `done` until it holds or `timeout` passes; returns its last answer.
inline bool waitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return done();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling, not waiting for an event
    }
    return true;
}

}  // namespace chatd::testing
