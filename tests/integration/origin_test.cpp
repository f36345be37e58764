// The default Origin rule against the real server: a page of chatd's own on an
// IP literal or localhost connects; a page under a DNS name that was re-pointed
// at chatd (DNS rebinding) does not, nor a request with no Host to compare.
#include <gtest/gtest.h>

#include "log_capture.h"
#include "security_helpers.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

// The status of an upgrade from a page at `origin` naming `host` as Host ("" for none).
int upgradeStatus(TestServer& server, const std::string& origin, const std::string& host) {
    WsOptions options;
    options.origin = origin;
    options.host_header = host;
    return WsClient::handshake(server.port(), options).status;
}

double originRefusals(TestServer& server) {
    return metricValue(server, "chatd_upgrades_total{result=\"origin\"}");
}

TEST(OriginCheck, PagesOnIpLiteralsAndLocalhostConnectByDefault) {
    TestServer server;
    const std::string port = ":" + std::to_string(server.port());
    for (const std::string host : {"localhost", "127.0.0.1", "[::1]", "192.168.1.20", "chat.localhost"}) {
        EXPECT_EQ(upgradeStatus(server, "http://" + host + port, host + port), 101) << host;
    }
}

TEST(OriginCheck, ARebindingPageIsRefusedAndCounted) {
    TestServer server;
    const std::string evil = "evil.example:" + std::to_string(server.port());
    EXPECT_EQ(upgradeStatus(server, "http://" + evil, evil), 403);
    EXPECT_EQ(originRefusals(server), 1);
}

TEST(OriginCheck, AListedNameConnects) {
    TestServer server([](config::Config& config) { config.websocket.allowed_origins = {"http://chat.example.org"}; });
    EXPECT_EQ(upgradeStatus(server, "http://chat.example.org", "chat.example.org"), 101);
}

TEST(OriginCheck, AnOriginWithoutHostIsRefusedLoggedAndCounted) {
    LogCapture log;
    TestServer server([](config::Config& config) { config.log.level = "info"; });  // refusals are info lines
    EXPECT_EQ(upgradeStatus(server, "http://127.0.0.1:" + std::to_string(server.port()), ""), 403);
    EXPECT_EQ(originRefusals(server), 1);
    EXPECT_TRUE(waitUntil([&] { return log.contains("no Host header"); })) << log.all();
}

}  // namespace
}  // namespace chatd::testing
