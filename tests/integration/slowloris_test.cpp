// Slowloris against the real server: hundreds of connections from one
// address (127.0.0.1) that dribble a request head, or sit idle on a kept-alive
// connection, while ordinary clients from other loopback addresses
// (127.0.0.2, 127.0.0.3: the whole 127/8 is loopback) upgrade and chat; and
// dribbling connections on the /metrics listener while Prometheus scrapes.
#include <gtest/gtest.h>

#include <optional>

#include "crowd.h"
#include "security_helpers.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Loopback is exempt from the per-address limits and a trusted proxy by
// default: these tests make it an ordinary client address.
void loopbackIsAClient(config::Config& config) {
    config.limits.exempt_addresses.clear();
    config.limits.trusted_proxies.clear();
    config.limits.new_connections_per_second = 0;  // the crowd reconnects faster than a browser
    config.http.threads = 16;
}

struct Upgrade {
    std::unique_ptr<WsClient> client;
    std::string failure;
    Clock::duration took{};
};

// An upgrade from `bind_address`, timed; a refusal or timeout is a failure, not a throw.
Upgrade upgradeFrom(std::uint16_t port, const std::string& bind_address) {
    WsOptions options;
    options.bind_address = bind_address;
    Upgrade upgrade;
    const auto start = Clock::now();
    try {
        upgrade.client = WsClient::connect(port, options);
    } catch (const std::exception& error) {
        upgrade.failure = error.what();
    }
    upgrade.took = Clock::now() - start;
    return upgrade;
}

// Two ordinary clients upgrade while the crowd holds on, then chat: each
// upgrade and the message's way from one to the other must be prompt.
void expectOrdinaryClientsChat(TestServer& server) {
    for (const char* address : {"127.0.0.2", "127.0.0.3"}) {
        const Upgrade probe = upgradeFrom(server.port(), address);
        EXPECT_TRUE(probe.client) << "upgrade from " << address << " failed after "
                                  << std::chrono::duration_cast<std::chrono::milliseconds>(probe.took).count()
                                  << " ms: " << probe.failure;
        EXPECT_LT(probe.took, 2s) << address;
    }
    Upgrade alice = upgradeFrom(server.port(), "127.0.0.2");
    Upgrade bob = upgradeFrom(server.port(), "127.0.0.3");
    ASSERT_TRUE(alice.client && bob.client) << alice.failure << bob.failure;
    alice.client->sendText(R"({"type":"join","room":"calm","nick":"alice"})");
    alice.client->waitFor("welcome");
    bob.client->sendText(R"({"type":"join","room":"calm","nick":"bob"})");
    bob.client->waitFor("welcome");
    const auto sent = Clock::now();
    alice.client->sendText(R"({"type":"message","text":"still here"})");
    EXPECT_EQ(str(bob.client->waitFor("message"), "text"), "still here");
    EXPECT_LT(Clock::now() - sent, 1s);
}

double limitHits(TestServer& server, const std::string& limit) {
    return metricValue(server, "chatd_limit_hits_total{limit=\"" + limit + "\"}");
}

// A crowd of `size` connections from 127.0.0.1 holds on; others still chat,
// and the crowd's excess was counted.
void expectOthersChatDespite(std::size_t size, Crowd::Style style) {
    TestServer server(loopbackIsAClient);
    Crowd crowd(server.port(), size, style);
    ASSERT_TRUE(crowd.waitStarted());
    expectOrdinaryClientsChat(server);
    EXPECT_GT(limitHits(server, "pending_per_address"), 0);
}

TEST(Slowloris, DribbledHeadsFromOneAddressLeaveRoomForOthersToUpgradeAndChat) {
    expectOthersChatDespite(300, Crowd::Style::Dribble);
}

TEST(Slowloris, IdleKeptAliveConnectionsFromOneAddressLeaveRoomForOthers) {
    expectOthersChatDespite(200, Crowd::Style::IdleKeepAlive);
}

TEST(Slowloris, ABrowsersBurstFromOneAddressIsNotRefused) {
    // Six connections at once (a browser's per-host limit), each kept alive
    // after its request, then the WebSocket: all served, three page loads in a row.
    TestServer server(loopbackIsAClient);
    for (int page_load = 0; page_load < 3; ++page_load) {
        std::vector<HttpReply> replies(6);
        std::vector<std::thread> fetches;
        for (auto& reply : replies) fetches.emplace_back([&] { reply = httpRequest(server.port(), "/healthz"); });
        for (auto& fetch : fetches) fetch.join();
        for (const auto& reply : replies) EXPECT_EQ(reply.status, 200);
        EXPECT_TRUE(WsClient::handshake(server.port()).client);
    }
}

TEST(Slowloris, TheMetricsListenerIsFreedFromDribblersAtTheHandshakeDeadline) {
    TestServer server([](config::Config& config) {
        config.metrics.enabled = true;
        config.metrics.port = 0;
        config.limits.handshake_timeout = 1s;
    });
    // Its 2 threads and 16 queue places, and more.
    Crowd crowd(server.server().metricsPort(), 24, Crowd::Style::Dribble, false);
    ASSERT_TRUE(crowd.waitStarted());
    const auto start = Clock::now();
    std::optional<Clock::duration> scraped;
    std::string failure;
    while (!scraped && Clock::now() - start < 8s) {
        try {
            Poco::Net::HTTPClientSession session("127.0.0.1", server.server().metricsPort());
            session.setTimeout(Poco::Timespan(2, 0));
            Poco::Net::HTTPRequest request("GET", "/metrics", Poco::Net::HTTPMessage::HTTP_1_1);
            session.sendRequest(request);
            Poco::Net::HTTPResponse response;
            std::string body;
            Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
            if (response.getStatus() == 200 && body.find("chatd_limit_hits_total") != std::string::npos)
                scraped = Clock::now() - start;
        } catch (const Poco::Exception& error) {
            failure = error.displayText();
            std::this_thread::sleep_for(100ms);  // a scraper's retry interval, not a readiness wait
        }
    }
    ASSERT_TRUE(scraped) << "no scrape succeeded in 8 s while dribblers held the listener; last error: " << failure;
    EXPECT_LT(*scraped, 5s);
    // Cut at the deadline: at least the 16 that waited in the queue (the 2
    // threads may have taken theirs from it after it was full).
    EXPECT_TRUE(waitUntil([&] { return limitHits(server, "handshake_timeout") >= 16; }));
}

}  // namespace
}  // namespace chatd::testing
