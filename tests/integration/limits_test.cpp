// Every limit of the `limits:` section against the real server: each refusal
// (503, 429, 431, a cut connection, a join error) and that each hit is
// counted in chatd_limit_hits_total.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include "security_helpers.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

double limitHits(TestServer& server, const std::string& limit) {
    return metricValue(server, "chatd_limit_hits_total{limit=\"" + limit + "\"}");
}

// Loopback is exempt from the per-address limits by default: these tests lift that.
void limitLoopback(config::Config& config) { config.limits.exempt_addresses.clear(); }

std::unique_ptr<WsClient> joined(TestServer& server, const std::string& room, const std::string& nick) {
    return joinedClient(server.port(), nick, room);
}

TEST(SecurityLimits, MaxConnectionsIs503BeforeTheUpgradeAndCounted) {
    TestServer server([](config::Config& config) { config.limits.max_connections = 1; });
    auto first = WsClient::connect(server.port());
    const auto refused = WsClient::handshake(server.port());
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(refused.client, nullptr);
    EXPECT_NE(refused.head.find("Retry-After: 5"), std::string::npos);
    EXPECT_EQ(limitHits(server, "connections"), 1);
    EXPECT_EQ(metricValue(server, "chatd_upgrades_total{result=\"connections\"}"), 1);
}

TEST(SecurityLimits, ConnectionsPerAddressAre429AndComeBackWhenClosed) {
    TestServer server([](config::Config& config) {
        limitLoopback(config);
        config.limits.max_connections_per_address = 2;
        config.limits.new_connections_per_second = 0;  // rate off: only the count is tested
    });
    auto a = WsClient::connect(server.port());
    auto b = WsClient::connect(server.port());
    const auto refused = WsClient::handshake(server.port());
    EXPECT_EQ(refused.status, 429);
    EXPECT_EQ(limitHits(server, "connections_per_address"), 1);
    a->sendClose();
    EXPECT_TRUE(a->waitClosed());
    int status = 0;
    EXPECT_TRUE(waitUntil([&] { return (status = WsClient::handshake(server.port()).status) == 101; }))
        << "the address's count never came back; last status " << status;
}

TEST(SecurityLimits, NewConnectionsPerSecondAre429WithRetryAfter) {
    TestServer server([](config::Config& config) {
        limitLoopback(config);
        config.limits.max_connections_per_address = 0;
        config.limits.new_connections_per_second = 1;
        config.limits.new_connections_burst = 2;
    });
    auto a = WsClient::connect(server.port());
    auto b = WsClient::connect(server.port());
    const auto refused = WsClient::handshake(server.port());
    EXPECT_EQ(refused.status, 429);
    EXPECT_NE(refused.head.find("Retry-After: 1"), std::string::npos) << refused.head;
    EXPECT_EQ(limitHits(server, "connection_rate"), 1);
    // The bucket refills at one per second.
    EXPECT_TRUE(waitUntil([&] { return WsClient::handshake(server.port()).status == 101; }, std::chrono::seconds(5)));
}

TEST(SecurityLimits, LoopbackIsExemptByDefault) {
    TestServer server([](config::Config& config) {
        config.limits.max_connections_per_address = 1;
        config.limits.new_connections_per_second = 1;
        config.limits.new_connections_burst = 1;
    });
    auto a = WsClient::connect(server.port());
    auto b = WsClient::connect(server.port());
    auto c = WsClient::connect(server.port());
    EXPECT_EQ(limitHits(server, "connections_per_address"), 0);
}

TEST(SecurityLimits, ATrustedProxyNamesTheClientInXForwardedFor) {
    TestServer server([](config::Config& config) {
        limitLoopback(config);  // trusted_proxies keeps its default: 127.0.0.1 and ::1
        config.limits.max_connections_per_address = 1;
        config.limits.new_connections_per_second = 0;
    });
    auto via = [&](const std::string& forwarded) {
        WsOptions options;
        options.headers["X-Forwarded-For"] = forwarded;
        return WsClient::handshake(server.port(), options);
    };
    auto first = via("203.0.113.5");
    EXPECT_EQ(first.status, 101);
    EXPECT_EQ(via("203.0.113.5").status, 429);
    EXPECT_EQ(via("198.51.100.1, 203.0.113.6").status, 101);  // the right-most entry is the client
    // A client cannot hide behind a made-up hop: the proxy's own entry counts.
    EXPECT_EQ(via("203.0.113.6, 203.0.113.5").status, 429);
}

TEST(SecurityLimits, XForwardedForFromAnUntrustedPeerIsIgnored) {
    TestServer server([](config::Config& config) {
        limitLoopback(config);
        config.limits.trusted_proxies.clear();
        config.limits.max_connections_per_address = 1;
        config.limits.new_connections_per_second = 0;
    });
    WsOptions options;
    options.headers["X-Forwarded-For"] = "203.0.113.5";
    auto first = WsClient::handshake(server.port(), options);
    EXPECT_EQ(first.status, 101);
    options.headers["X-Forwarded-For"] = "203.0.113.99";  // another "client": still 127.0.0.1
    EXPECT_EQ(WsClient::handshake(server.port(), options).status, 429);
}

TEST(SecurityLimits, HandshakeTimeoutCutsASlowRequestHead) {
    TestServer server([](config::Config& config) {
        config.limits.handshake_timeout = std::chrono::milliseconds(300);
        config.http.request_timeout = std::chrono::seconds(60);  // Poco's own read timeout must not be what cuts it
    });
    Poco::Net::StreamSocket slow(Poco::Net::SocketAddress("127.0.0.1", server.port()));
    slow.setReceiveTimeout(Poco::Timespan(10, 0));
    const auto start = std::chrono::steady_clock::now();
    const std::string partial = "GET / HTTP/1.1\r\nHost: x\r\n";  // never finished
    slow.sendBytes(partial.data(), static_cast<int>(partial.size()));
    char buffer[256];
    int got = 0;
    try {
        got = slow.receiveBytes(buffer, sizeof buffer);
    } catch (const Poco::Exception&) {
        got = 0;  // a reset counts as cut too
    }
    EXPECT_EQ(got, 0) << "the server answered a request it never fully received";
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    EXPECT_TRUE(waitUntil([&] { return limitHits(server, "handshake_timeout") == 1; }));
    // A prompt client is not affected.
    EXPECT_EQ(httpRequest(server.port(), "/healthz").status, 200);
}

TEST(SecurityLimits, OversizedRequestHeadIs431) {
    TestServer server([](config::Config& config) { config.limits.max_header_bytes = 1024; });
    EXPECT_EQ(httpRequest(server.port(), "/healthz", {{"X-Pad", std::string(900, 'a')}}).status, 200);
    EXPECT_EQ(httpRequest(server.port(), "/healthz", {{"X-Pad", std::string(1100, 'a')}}).status, 431);
    WsOptions options;
    options.headers["Cookie"] = std::string(1100, 'c');
    EXPECT_EQ(WsClient::handshake(server.port(), options).status, 431);
    EXPECT_EQ(limitHits(server, "header_size"), 2);
    EXPECT_EQ(metricValue(server, "chatd_upgrades_total{result=\"header_size\"}"), 1);
}

TEST(SecurityLimits, OversizedMessageClosesWith1009AndIsCounted) {
    TestServer server([](config::Config& config) { config.websocket.max_message_bytes = 1000; });
    auto client = WsClient::connect(server.port());
    client->sendText(std::string(1001, 'x'));
    EXPECT_EQ(client->waitClosed(), 1009);
    EXPECT_TRUE(waitUntil([&] { return limitHits(server, "message_size") == 1; }));
}

TEST(SecurityLimits, MaxRoomsRefusesANewRoomButNotAnExistingOne) {
    TestServer server([](config::Config& config) { config.limits.max_rooms = 2; });
    auto a = joined(server, "r1", "a");
    auto b = joined(server, "r2", "b");
    auto c = WsClient::connect(server.port());
    c->sendText(R"({"type":"join","room":"r3","nick":"c","id":"j3"})");
    const json::Value error = c->waitFor("error");
    EXPECT_EQ(str(error, "code"), "too_many_rooms");
    EXPECT_EQ(str(error, "id"), "j3");
    c->sendText(R"({"type":"join","room":"r1","nick":"c"})");  // an existing room is fine
    c->waitFor("welcome");
    EXPECT_EQ(limitHits(server, "rooms"), 1);
    // An emptied room makes way for a new one.
    b->sendText(R"({"type":"join","room":"r1","nick":"b"})");
    b->waitFor("welcome");
    c->sendText(R"({"type":"join","room":"r3","nick":"c"})");
    EXPECT_EQ(str(c->waitFor("welcome"), "room"), "r3");
}

TEST(SecurityLimits, MaxRoomUsersRefusesTheNextMember) {
    TestServer server([](config::Config& config) { config.limits.max_room_users = 2; });
    auto a = joined(server, "r", "a");
    auto b = joined(server, "r", "b");
    auto c = WsClient::connect(server.port());
    c->sendText(R"({"type":"join","room":"r","nick":"c"})");
    EXPECT_EQ(str(c->waitFor("error"), "code"), "room_full");
    EXPECT_EQ(limitHits(server, "room_users"), 1);
    b->sendText(R"({"type":"join","room":"r","nick":"b2"})");  // a member re-joining is not a new member
    b->waitFor("welcome");
    a->sendClose();
    a->waitClosed();
    EXPECT_TRUE(waitUntil([&] {
        c->sendText(R"({"type":"join","room":"r","nick":"c"})");
        const json::Value answer = c->receiveJson();
        return str(answer, "type") == "welcome";
    }));
}

TEST(SecurityLimits, LimitsApplyOnReload) {
    TestServer server;
    auto a = joined(server, "r", "a");
    config::Config next = *server.server().config();
    next.limits.max_room_users = 1;
    next.limits.max_connections = 1;
    ASSERT_TRUE(server.server().reload(next).applied);
    EXPECT_EQ(WsClient::handshake(server.port()).status, 503);
    EXPECT_EQ(server.server().config()->limits.max_room_users, 1u);
}

}  // namespace
}  // namespace chatd::testing
