// Attacks on the admission path, against the real server: the handshake
// deadline on kept-alive connections, X-Forwarded-For split over several
// fields, a trusted proxy that names no client, the full HTTP queue, limit
// hits of the IO loops in the log, and Poco's own caps on a request head.
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include "log_capture.h"
#include "security_helpers.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using Clock = std::chrono::steady_clock;

double limitHits(TestServer& server, const std::string& limit) {
    return metricValue(server, "chatd_limit_hits_total{limit=\"" + limit + "\"}");
}

Poco::Net::StreamSocket connectTo(TestServer& server) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", server.port()));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    return socket;
}

void sendAll(Poco::Net::StreamSocket& socket, const std::string& bytes) {
    socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
}

// Reads a response head ("HTTP/1.1 200 OK...\r\n\r\n") and its Content-Length body.
std::string readResponse(Poco::Net::StreamSocket& socket) {
    std::string data;
    char buffer[4096];
    std::size_t head_end = std::string::npos;
    std::size_t body_length = 0;
    while (true) {
        if (head_end == std::string::npos && (head_end = data.find("\r\n\r\n")) != std::string::npos) {
            const std::size_t at = data.find("Content-Length: ");
            if (at != std::string::npos && at < head_end) body_length = std::stoul(data.substr(at + 16));
        }
        if (head_end != std::string::npos && data.size() >= head_end + 4 + body_length) return data;
        const int got = socket.receiveBytes(buffer, sizeof buffer);
        if (got <= 0) return data;
        data.append(buffer, static_cast<std::size_t>(got));
    }
}

// True when the server has closed (or reset) `socket`: a read finds EOF.
bool closedByServer(Poco::Net::StreamSocket& socket, std::chrono::milliseconds wait) {
    if (!socket.poll(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(wait).count()),
                     Poco::Net::Socket::SELECT_READ))
        return false;
    char byte = 0;
    try {
        return socket.receiveBytes(&byte, 1) == 0;
    } catch (const Poco::Exception&) {
        return true;  // reset
    }
}

// An upgrade request with `extra` header lines (verbatim, each ending "\r\n");
// the status of the answer. The socket stays open (an accepted client holds its slot).
int rawUpgrade(Poco::Net::StreamSocket& socket, const std::string& extra) {
    sendAll(socket,
            "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
                extra + "\r\n");
    std::string head;
    char byte = 0;
    while (head.find("\r\n\r\n") == std::string::npos && socket.receiveBytes(&byte, 1) == 1) head += byte;
    return head.size() > 12 ? std::stoi(head.substr(9, 3)) : 0;
}

TEST(SecurityHardening, AKeptAliveConnectionsNextRequestHeadHasTheHandshakeDeadlineToo) {
    TestServer server([](config::Config& config) {
        config.limits.handshake_timeout = std::chrono::milliseconds(500);
        config.http.request_timeout = std::chrono::seconds(60);  // Poco's per-read timeout must not be what cuts it
    });
    // Prompt keep-alive requests are not affected.
    Poco::Net::StreamSocket socket = connectTo(server);
    for (int i = 0; i < 3; ++i) {
        sendAll(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        const std::string response = readResponse(socket);
        ASSERT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << response;
        ASSERT_NE(response.find("Connection: Keep-Alive"), std::string::npos) << response;
    }
    // The next request head, one byte every 100 ms, is cut at the deadline.
    const auto start = Clock::now();
    sendAll(socket, "GET /healthz HTTP/1.1\r\n");
    bool cut = false;
    while (!cut && Clock::now() - start < std::chrono::seconds(6)) {
        cut = closedByServer(socket, std::chrono::milliseconds(100));
        if (!cut) {
            try {
                sendAll(socket, "X");
            } catch (const Poco::Exception&) {
                cut = true;
            }
        }
    }
    const auto took = Clock::now() - start;
    EXPECT_TRUE(cut) << "the dribbled second request head was never cut";
    EXPECT_LT(took, std::chrono::seconds(3));
    EXPECT_TRUE(waitUntil([&] { return limitHits(server, "handshake_timeout") == 1; }));
}

TEST(SecurityHardening, EveryXForwardedForFieldCountsSoAForgedFirstFieldLosesToTheProxysOwn) {
    // Defaults: loopback is both exempt and a trusted proxy. The client forges
    // an exempt loopback address in its own field; the proxy adds a second field.
    TestServer server([](config::Config& config) {
        config.limits.max_connections_per_address = 1;
        config.limits.new_connections_per_second = 0;
    });
    const std::string fields = "X-Forwarded-For: 127.0.0.2\r\nX-Forwarded-For: 203.0.113.5\r\n";
    Poco::Net::StreamSocket first = connectTo(server);
    EXPECT_EQ(rawUpgrade(first, fields), 101);
    Poco::Net::StreamSocket second = connectTo(server);
    EXPECT_EQ(rawUpgrade(second, fields), 429) << "the forged first field decided the client address";
    EXPECT_EQ(limitHits(server, "connections_per_address"), 1);
    // Another client behind the same proxy is not affected.
    Poco::Net::StreamSocket other = connectTo(server);
    EXPECT_EQ(rawUpgrade(other, "X-Forwarded-For: 127.0.0.2\r\nx-forwarded-for: 203.0.113.6\r\n"), 101);
}

TEST(SecurityHardening, ATrustedProxyThatNamesNoClientIsWarnedAboutOnce) {
    LogCapture log;
    TestServer server;  // 127.0.0.1 is a trusted proxy by default
    WsOptions named;
    named.headers["X-Forwarded-For"] = "203.0.113.5";
    EXPECT_EQ(WsClient::handshake(server.port(), named).status, 101);
    EXPECT_EQ(log.count("carried no X-Forwarded-For"), 0u);
    EXPECT_EQ(WsClient::handshake(server.port()).status, 101);
    EXPECT_EQ(WsClient::handshake(server.port()).status, 101);
    EXPECT_EQ(log.count("127.0.0.1 (a trusted proxy) carried no X-Forwarded-For"), 1u) << log.all();
}

TEST(SecurityHardening, AConnectionBeyondAFullHttpQueueIsClosedAtOnceAndCounted) {
    TestServer server([](config::Config& config) {
        config.http.threads = 1;
        config.http.max_queued = 1;
        config.limits.handshake_timeout = std::chrono::seconds(30);  // the watchdog must not be what closes it
        config.http.request_timeout = std::chrono::seconds(60);
    });
    // The only HTTP thread serves `busy`: one answered request proves it took
    // it, and the unfinished next head keeps it there.
    Poco::Net::StreamSocket busy = connectTo(server);
    sendAll(busy, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(readResponse(busy).rfind("HTTP/1.1 200", 0), 0u);
    sendAll(busy, "GET /healthz HTTP/1.1\r\n");
    // One connection fits in the queue; the next one (accepted after it) does not.
    Poco::Net::StreamSocket queued = connectTo(server);
    sendAll(queued, "GET / HTTP/1.1\r\n");
    Poco::Net::StreamSocket refused = connectTo(server);
    const auto start = Clock::now();
    EXPECT_TRUE(closedByServer(refused, std::chrono::seconds(5)))
        << "a connection beyond http.max_queued was left open";
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
    EXPECT_EQ(limitHits(server, "http_queue"), 1);
    EXPECT_FALSE(closedByServer(queued, std::chrono::milliseconds(0)));
    EXPECT_FALSE(closedByServer(busy, std::chrono::milliseconds(0)));
}

TEST(SecurityHardening, OversizedMessagesAreLoggedOncePerWindowAndAllCounted) {
    LogCapture log;
    TestServer server([](config::Config& config) { config.websocket.max_message_bytes = 1000; });
    for (int i = 0; i < 3; ++i) {
        auto client = WsClient::connect(server.port());
        client->sendText(std::string(1001, 'x'));
        EXPECT_EQ(client->waitClosed(), 1009);
    }
    EXPECT_TRUE(waitUntil([&] { return limitHits(server, "message_size") == 3; }));
    EXPECT_EQ(log.count("limit hit: message_size: "), 1u) << log.all();
    EXPECT_EQ(log.count("(limit 1000 bytes)"), 1u) << log.all();
}

TEST(SecurityHardening, PocoRefusesAHeaderFieldOver8KiBWith400BeforeChatdSeesIt) {
    TestServer server([](config::Config& config) { config.limits.max_header_bytes = 64 * 1024; });
    // Each head goes out in one write, so Poco has read all of it when it answers (no reset).
    auto status = [&](const std::string& fields) {
        Poco::Net::StreamSocket socket = connectTo(server);
        sendAll(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n");
        const std::string response = readResponse(socket);
        return response.size() > 12 ? std::stoi(response.substr(9, 3)) : 0;
    };
    EXPECT_EQ(status("Cookie: " + std::string(8192, 'c') + "\r\n"), 200);
    EXPECT_EQ(status("Cookie: " + std::string(8193, 'c') + "\r\n"), 400);
    std::string fields;
    for (int i = 0; i < 99; ++i) fields += "X-F" + std::to_string(i) + ": v\r\n";  // + Host: 100 fields
    EXPECT_EQ(status(fields), 200);
    EXPECT_EQ(status(fields + "X-One-More: v\r\n"), 400);
    EXPECT_EQ(limitHits(server, "header_size"), 0);  // not chatd's 431: Poco's 400
}

TEST(SecurityHardening, AnUpgradeToAnUnknownPathIsCounted) {
    TestServer server;
    WsOptions options;
    options.path = "/nowhere";
    EXPECT_EQ(WsClient::handshake(server.port(), options).status, 404);
    EXPECT_EQ(metricValue(server, "chatd_upgrades_total{result=\"not_found\"}"), 1);
}

}  // namespace
}  // namespace chatd::testing
