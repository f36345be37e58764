// Request bodies and ambiguous framing against the real server, over raw TCP:
// bytes the server does not read as a body must never be read as a request
// (a proxy that reuses its upstream connection would answer its next client
// with the smuggled request's response).
#include <gtest/gtest.h>

#include <vector>

#include "security_helpers.h"

namespace chatd::testing {
namespace {

const std::string kSmuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

// The status of every response in `received`, in order.
std::vector<int> statuses(const std::string& received) {
    std::vector<int> found;
    for (std::size_t at = received.find("HTTP/1.1 "); at != std::string::npos;
         at = received.find("HTTP/1.1 ", at + 1))
        found.push_back(std::stoi(received.substr(at + 9, 3)));
    return found;
}

std::string withBody(const std::string& request_line, const std::string& headers, const std::string& body) {
    return request_line + "\r\nHost: x\r\n" + headers + "\r\n" + body;
}

TEST(HttpFraming, AGetWhoseBodyIsASecondRequestGetsOneResponseAndIsClosed) {
    TestServer server;
    const RawExchange exchange = rawExchange(
        server.port(),
        withBody("GET /healthz HTTP/1.1", "Content-Length: " + std::to_string(kSmuggled.size()) + "\r\n", kSmuggled));
    EXPECT_EQ(statuses(exchange.received), std::vector<int>{413}) << exchange.received;
    EXPECT_NE(exchange.received.find("Connection: Close"), std::string::npos) << exchange.received;
    EXPECT_TRUE(exchange.closed);
}

TEST(HttpFraming, DuplicateOrConflictingFramingIs400AndClosed) {
    TestServer server;
    const std::string length = "Content-Length: " + std::to_string(kSmuggled.size()) + "\r\n";
    const struct {
        const char* name;
        std::string request;
        int status;
    } cases[] = {
        {"two Content-Length", withBody("GET /healthz HTTP/1.1", "Content-Length: 0\r\n" + length, kSmuggled), 400},
        {"two equal Content-Length", withBody("GET / HTTP/1.1", length + length, kSmuggled), 400},
        {"Content-Length and chunked",
         withBody("GET /healthz HTTP/1.1", "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n" + kSmuggled),
         400},
        {"unsupported coding", withBody("POST / HTTP/1.1", "Transfer-Encoding: gzip, chunked\r\n", kSmuggled), 400},
        {"chunked body", withBody("GET /healthz HTTP/1.1", "Transfer-Encoding: chunked\r\n", "0\r\n\r\n" + kSmuggled),
         413},
        {"POST body", withBody("POST / HTTP/1.1", length, kSmuggled), 413},
        {"body after Expect", withBody("POST /healthz HTTP/1.1", "Expect: 100-continue\r\n" + length, ""), 413},
    };
    for (const auto& c : cases) {
        const RawExchange exchange = rawExchange(server.port(), c.request);
        EXPECT_EQ(statuses(exchange.received), std::vector<int>{c.status}) << c.name << ":\n" << exchange.received;
        EXPECT_NE(exchange.received.find("Connection: Close"), std::string::npos) << c.name;
        EXPECT_TRUE(exchange.closed) << c.name;
    }
}

TEST(HttpFraming, AnUpgradeWithABodyIsRefusedClosedAndCounted) {
    TestServer server;
    const std::string body = "\x81\x05hello";  // would otherwise reach the WebSocket as early frames
    const RawExchange exchange = rawExchange(
        server.port(), withBody("GET /ws HTTP/1.1",
                                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                                "Content-Length: " + std::to_string(body.size()) + "\r\n",
                                body));
    EXPECT_EQ(statuses(exchange.received), std::vector<int>{413}) << exchange.received;
    EXPECT_TRUE(exchange.closed);
    EXPECT_EQ(metricValue(server, "chatd_upgrades_total{result=\"bad_request\"}"), 1);
    EXPECT_LT(metricValue(server, "chatd_upgrades_total{result=\"accepted\"}"), 1);  // -1: never counted
}

TEST(HttpFraming, KeptAliveRequestsWithoutBodiesAreAllAnswered) {
    TestServer server;
    const RawExchange exchange =
        rawExchange(server.port(), kSmuggled + withBody("GET /healthz HTTP/1.1", "Content-Length: 0\r\n", "") +
                                       "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n" + kSmuggled +
                                       "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(statuses(exchange.received), (std::vector<int>{200, 200, 200, 200, 200})) << exchange.received;
    EXPECT_TRUE(exchange.closed);
}

}  // namespace
}  // namespace chatd::testing
