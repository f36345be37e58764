// The HTTP side of the real server: static files, /healthz, security headers,
// and idle TCP connections that must not starve upgrades.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include "json/json_reader.h"
#include "test_server.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

struct HttpResult {
    int status = 0;
    Poco::Net::HTTPResponse response;
    std::string body;
};

HttpResult get(std::uint16_t port, const std::string& path, const std::string& method = "GET") {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    HttpResult result;
    std::istream& body = session.receiveResponse(result.response);
    Poco::StreamCopier::copyToString(body, result.body);
    result.status = result.response.getStatus();
    return result;
}

TEST(Http, ServesTheChatPageWithSecurityHeaders) {
    TestServer server;
    const HttpResult page = get(server.port(), "/");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("<html"), std::string::npos);
    EXPECT_EQ(page.response.getContentType(), "text/html; charset=utf-8");
    EXPECT_NE(page.response.get("Content-Security-Policy", "").find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(page.response.get("X-Content-Type-Options", ""), "nosniff");
    EXPECT_FALSE(page.response.get("ETag", "").empty());
}

TEST(Http, HealthzReportsStatusUptimeAndConnections) {
    TestServer server;
    auto client = WsClient::connect(server.port());
    client->sendText(R"({"type":"join"})");
    client->waitFor("welcome");
    const HttpResult health = get(server.port(), "/healthz");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.response.getContentType(), "application/json");
    std::string error;
    auto value = json::parse(health.body, error);
    ASSERT_TRUE(value) << error;
    EXPECT_EQ(str(*value, "status"), "ok");
    EXPECT_EQ(uint(*value, "connections"), 1u);
    EXPECT_NO_THROW(uint(*value, "uptime_s"));
}

TEST(Http, HostilePathsAndUnknownFiles) {
    TestServer server;
    EXPECT_EQ(get(server.port(), "/no-such-file.js").status, 404);
    EXPECT_EQ(get(server.port(), "/%2e%2e/etc/passwd").status, 400);
    EXPECT_EQ(get(server.port(), "/a%00b").status, 400);
    EXPECT_EQ(get(server.port(), "/", "POST").status, 405);
}

TEST(Http, IdleConnectionsDoNotBlockUpgrades) {
    TestServer server([](config::Config& config) {
        config.http.threads = 2;
        config.http.request_timeout = std::chrono::milliseconds(500);
    });
    // More idle TCP connections than HTTP threads, sending nothing at all.
    std::vector<Poco::Net::StreamSocket> idle;
    for (int i = 0; i < 4; ++i) idle.emplace_back(Poco::Net::SocketAddress("127.0.0.1", server.port()));
    const auto start = std::chrono::steady_clock::now();
    auto client = WsClient::connect(server.port());
    client->sendText(R"({"type":"join"})");
    client->waitFor("welcome");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST(Limits, OverMaxConnectionsTheUpgradeGets503) {
    TestServer server([](config::Config& config) { config.limits.max_connections = 2; });
    auto a = WsClient::connect(server.port());
    auto b = WsClient::connect(server.port());
    EXPECT_EQ(WsClient::handshake(server.port()).status, 503);
    a->sendClose();
    EXPECT_TRUE(a->waitClosed());
    // The slot comes back once the connection is gone.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int status = 0;
    while ((status = WsClient::handshake(server.port()).status) != 101 && std::chrono::steady_clock::now() < deadline) {
    }
    EXPECT_EQ(status, 101);
}

}  // namespace
}  // namespace chatd::testing
