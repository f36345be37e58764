// GET /metrics on its own loopback listener against the real server: the
// numbers follow real traffic, the page passes `promtool check metrics`
// (Debian package prometheus; the test fails without it), and nothing is
// served on the public port.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "security_helpers.h"
#include "temp_dir.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

void enableMetrics(config::Config& config) {
    config.metrics.enabled = true;
    config.metrics.port = 0;
    config::PluginEntry filter;
    filter.name = "filter";
    filter.config = YAML::Load("{words: [forbidden], action: reject}");
    config.plugins.push_back(filter);
}

std::string scrape(TestServer& server) {
    const HttpReply reply = httpRequest(server.server().metricsPort(), "/metrics");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.response.getContentType(), "text/plain; version=0.0.4; charset=utf-8");
    return reply.body;
}

// Output and exit status of `promtool check metrics` fed with `text`.
std::pair<int, std::string> promtoolCheck(const std::string& text) {
    const auto dir = std::filesystem::temp_directory_path();
    const std::string input = (dir / ("chatd-metrics-" + std::to_string(::getpid()) + ".txt")).string();
    std::ofstream(input) << text;
    std::string output;
    FILE* pipe = ::popen(("promtool check metrics < '" + input + "' 2>&1").c_str(), "r");
    if (pipe == nullptr) return {-1, "cannot run promtool"};
    char buffer[512];
    while (std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, got);
    const int status = ::pclose(pipe);
    std::filesystem::remove(input);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST(Metrics, ServedOnItsOwnLoopbackListenerOnly) {
    TestServer server(enableMetrics);
    ASSERT_NE(server.server().metricsPort(), 0);
    ASSERT_NE(server.server().metricsPort(), server.port());
    EXPECT_NE(scrape(server).find("# TYPE chatd_connections gauge"), std::string::npos);
    EXPECT_EQ(httpRequest(server.server().metricsPort(), "/other").status, 404);
    // The public port serves the chat page, not the numbers.
    EXPECT_EQ(httpRequest(server.port(), "/metrics").status, 404);
}

TEST(Metrics, DisabledByDefault) {
    TestServer server;
    EXPECT_EQ(server.server().metricsPort(), 0);
    EXPECT_FALSE(config::Config{}.metrics.enabled);
    EXPECT_EQ(config::Config{}.metrics.listen, "127.0.0.1");
}

TEST(Metrics, FollowRealTraffic) {
    TestServer server(enableMetrics);
    auto alice = WsClient::connect(server.port());
    auto bob = WsClient::connect(server.port());
    WsOptions raw_options;
    raw_options.protocol = std::nullopt;
    auto raw = WsClient::connect(server.port(), raw_options);
    alice->sendText(R"({"type":"join","nick":"alice"})");
    alice->waitFor("welcome");
    bob->sendText(R"({"type":"join","nick":"bob"})");
    bob->waitFor("welcome");
    alice->sendText(R"({"type":"message","text":"hello"})");
    alice->waitFor("message");
    bob->waitFor("message");
    alice->sendText(R"({"type":"message","text":"forbidden","id":"x"})");
    EXPECT_EQ(str(alice->waitFor("error"), "code"), "rejected");
    raw->sendText("from raw");
    alice->waitFor("message");

    const std::string text = scrape(server);
    EXPECT_EQ(sampleValue(text, "chatd_connections{mode=\"json\"}"), 2) << text;
    EXPECT_EQ(sampleValue(text, "chatd_connections{mode=\"raw\"}"), 1);
    EXPECT_EQ(sampleValue(text, "chatd_upgrades_total{result=\"accepted\"}"), 3);
    EXPECT_EQ(sampleValue(text, "chatd_messages_received_total{mode=\"json\"}"), 2);
    EXPECT_EQ(sampleValue(text, "chatd_messages_received_total{mode=\"raw\"}"), 1);
    EXPECT_EQ(sampleValue(text, "chatd_messages_delivered_total"), 6);  // two messages, three members each
    EXPECT_GE(sampleValue(text, "chatd_broadcast_fanout_seconds_count"), 2);
    EXPECT_EQ(sampleValue(text, "chatd_plugin_verdicts_total{plugin=\"filter\",verdict=\"continue\"}"), 2);
    EXPECT_EQ(sampleValue(text, "chatd_plugin_verdicts_total{plugin=\"filter\",verdict=\"reject\"}"), 1);
    EXPECT_EQ(sampleValue(text, "chatd_plugin_hook_seconds_count{plugin=\"filter\",hook=\"on_message\"}"), 3);
    EXPECT_GT(sampleValue(text, "chatd_received_bytes_total"), 0);
    EXPECT_GT(sampleValue(text, "chatd_sent_bytes_total"), 0);
    EXPECT_GE(sampleValue(text, "chatd_send_queue_bytes"), 0);
    EXPECT_EQ(sampleValue(text, "chatd_slow_consumer_closes_total"), 0);
    EXPECT_EQ(sampleValue(text, "chatd_rooms"), 1);
    EXPECT_EQ(sampleValue(text, "chatd_bus_up"), 1);
    EXPECT_EQ(sampleValue(text, "chatd_limit_hits_total{limit=\"connections\"}"), 0);
    EXPECT_GT(sampleValue(text, "process_open_fds"), 0);

    // Closing a client brings its gauge down.
    raw->sendClose();
    raw->waitClosed();
    EXPECT_TRUE(waitUntil([&] { return sampleValue(scrape(server), "chatd_connections{mode=\"raw\"}") == 0; }));
}

TEST(Metrics, PluginCountsCarryOnAcrossAReload) {
    TestServer server(enableMetrics);
    auto client = WsClient::connect(server.port());
    client->sendText(R"({"type":"message","text":"one"})");
    client->waitFor("message");
    ASSERT_TRUE(server.server().reload(*server.server().config()).applied);
    client->sendText(R"({"type":"message","text":"two"})");
    client->waitFor("message");
    EXPECT_EQ(metricValue(server, "chatd_plugin_verdicts_total{plugin=\"filter\",verdict=\"continue\"}"), 2);
}

TEST(Metrics, PassPromtoolCheckMetrics) {
    // With the history store on, so that its metrics are checked too.
    const ScratchDir state_dir("chatd-metrics");
    TestServer server([&](config::Config& config) {
        enableMetrics(config);
        config.history.store = config::HistoryStoreType::Sqlite;
        config.history.path = state_dir.file("history.db");
    });
    auto client = WsClient::connect(server.port());
    client->sendText(R"({"type":"message","text":"a message"})");
    client->waitFor("message");
    WsOptions unknown_protocol;
    unknown_protocol.protocol = "mqtt";
    EXPECT_EQ(WsClient::handshake(server.port(), unknown_protocol).status, 400);  // an outcome label too
    const std::string text = scrape(server);
    EXPECT_NE(text.find("\nchatd_history_store_bytes "), std::string::npos) << text;
    const auto [status, output] = promtoolCheck(text);
    ASSERT_NE(status, 127) << "promtool not found: apt-get install prometheus";
    EXPECT_EQ(status, 0) << output << "\n--- scraped page ---\n" << text;
    EXPECT_TRUE(output.empty()) << output;  // lint findings are printed even when the exit status is 0
}

}  // namespace
}  // namespace chatd::testing
