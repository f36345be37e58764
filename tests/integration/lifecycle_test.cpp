// Reload and shutdown of the in-process server: live settings change without
// dropping anyone; shutdown closes every client with 1001.
#include <gtest/gtest.h>

#include "test_server.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

TEST(Reload, LiveSettingsApplyWithoutDroppingConnections) {
    TestServer server;
    auto alice = joinedClient(server.port(), "alice");
    config::Config next = testConfig();
    next.chat.max_text_bytes = 10;
    next.websocket.allowed_origins = {"https://chat.example.org"};
    const auto result = server.server().reload(next);
    ASSERT_TRUE(result.applied);
    EXPECT_TRUE(result.messages.empty());
    // The same connection now gets too_large for 11 bytes...
    alice->sendText(R"({"type":"message","text":"eleven byte","id":"a"})");
    EXPECT_EQ(str(alice->waitFor("error"), "code"), "too_large");
    alice->sendText(R"({"type":"message","text":"ten bytes!"})");
    EXPECT_EQ(str(alice->waitFor("message"), "text"), "ten bytes!");
    // ...and new upgrades see the new origin list.
    WsOptions listed;
    listed.origin = "https://chat.example.org";
    EXPECT_EQ(WsClient::handshake(server.port(), listed).status, 101);
}

TEST(Reload, RestartOnlyKeysAreReportedAndKept) {
    TestServer server;
    config::Config next = testConfig();
    next.listen.port = 1;  // cannot move the listener live
    next.threads.io = 7;
    const auto result = server.server().reload(next);
    ASSERT_TRUE(result.applied);
    ASSERT_EQ(result.messages.size(), 2u);
    EXPECT_NE(result.messages[0].find("listen.port"), std::string::npos);
    EXPECT_EQ(server.server().config()->listen.port, 0u);
    auto still = WsClient::connect(server.port());  // still listening where it was
}

TEST(Reload, BrokenPluginKeepsTheOldConfig) {
    TestServer server;
    auto alice = joinedClient(server.port(), "alice");
    config::Config next = testConfig();
    next.chat.max_text_bytes = 10;
    config::PluginEntry missing;
    missing.name = "does-not-exist";
    next.plugins.push_back(missing);
    const auto result = server.server().reload(next);
    EXPECT_FALSE(result.applied);
    ASSERT_FALSE(result.messages.empty());
    EXPECT_NE(result.messages[0].find("does-not-exist"), std::string::npos);
    alice->sendText(R"({"type":"message","text":"longer than ten bytes"})");
    EXPECT_EQ(str(alice->waitFor("message"), "text"), "longer than ten bytes");
}

TEST(Shutdown, EveryClientGets1001) {
    auto server = std::make_unique<TestServer>();
    auto json_client = joinedClient(server->port(), "alice");
    WsOptions raw;
    raw.protocol = std::nullopt;
    auto raw_client = WsClient::connect(server->port(), raw);
    const auto start = std::chrono::steady_clock::now();
    server.reset();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    EXPECT_EQ(json_client->waitClosed(), 1001);
    EXPECT_EQ(raw_client->waitClosed(), 1001);
}

}  // namespace
}  // namespace chatd::testing
