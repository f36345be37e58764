// What clients can put in the log, against the real server in-process: events
// a client repeats are counted and logged through one throttle (one line a
// second per kind), and text a client chose reaches the log escaped.
#include <gtest/gtest.h>

#include <algorithm>

#include "log_capture.h"
#include "security_helpers.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

// The daemon's default log level (the tests' is warn).
void logInfo(config::Config& config) { config.log.level = "info"; }

void rejectForbidden(config::Config& config) {
    logInfo(config);
    config::PluginEntry filter;
    filter.name = "filter";
    filter.config = YAML::Load("{words: [forbidden], action: reject}");
    config.plugins.push_back(filter);
}

WsOptions rawMode() {
    WsOptions options;
    options.protocol = std::nullopt;
    return options;
}

// Sends `text` from a raw client and waits for its own copy: everything it sent before has been handled.
void roundTrip(WsClient& raw, const std::string& text) {
    raw.sendText(text);
    for (auto frame = raw.receive(); frame; frame = raw.receive())
        if (frame->payload == text) return;
    FAIL() << "no echo of " << text;
}

bool hasControlBytes(const std::string& line) {
    return std::any_of(line.begin(), line.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f;
    });
}

TEST(ClientLog, IgnoredRawFramesAreAllCountedAndLoggedOnce) {
    LogCapture log;
    TestServer server(logInfo);
    auto raw = WsClient::connect(server.port(), rawMode());
    for (int i = 0; i < 200; ++i) raw->sendBinary("\xff");
    for (int i = 0; i < 50; ++i) raw->sendText("");
    roundTrip(*raw, "done");
    EXPECT_EQ(metricValue(server, "chatd_messages_ignored_total{reason=\"not_utf8\"}"), 200);
    EXPECT_EQ(metricValue(server, "chatd_messages_ignored_total{reason=\"size\"}"), 50);
    EXPECT_EQ(metricValue(server, "chatd_messages_ignored_total{reason=\"plugin_output\"}"), 0);
    // One throttle for both kinds: 250 frames in well under a second, one line (two if a second passed).
    EXPECT_GE(log.count("ignored ("), 1u) << log.all();
    EXPECT_LE(log.count("ignored ("), 2u) << log.all();
}

TEST(ClientLog, RejectionsOfARawClientAreLoggedOnceASecondAndCountedByThePlugin) {
    LogCapture log;
    TestServer server(rejectForbidden);
    auto raw = WsClient::connect(server.port(), rawMode());
    for (int i = 0; i < 100; ++i) raw->sendText("forbidden");
    roundTrip(*raw, "allowed");
    EXPECT_EQ(metricValue(server, "chatd_plugin_verdicts_total{plugin=\"filter\",verdict=\"reject\"}"), 100);
    EXPECT_GE(log.count("rejected by plugin filter"), 1u) << log.all();
    EXPECT_LE(log.count("rejected by plugin filter"), 2u) << log.all();
    EXPECT_LE(log.count("raw session "), 2u) << log.all();
}

TEST(ClientLog, RefusedUpgradesAreLoggedOnceASecondWithTheTargetEscapedAndCut) {
    LogCapture log;
    TestServer server(logInfo);
    WsOptions hostile;
    hostile.path = "/ws?\x1b]0;owned\x07" + std::string(5000, 'a') + '\x7f';
    hostile.version = "12";
    for (int i = 0; i < 20; ++i) EXPECT_EQ(WsClient::handshake(server.port(), hostile).status, 426);
    EXPECT_EQ(metricValue(server, "chatd_upgrades_total{result=\"bad_request\"}"), 20);
    ASSERT_GE(log.count("upgrade refused: "), 1u) << log.all();
    EXPECT_LE(log.count("upgrade refused: "), 2u) << log.all();
    EXPECT_TRUE(log.contains("path /ws?\\x1b]0;owned\\x07aaa")) << log.all();
    EXPECT_TRUE(log.contains("... (5015 bytes): 426")) << log.all();
    for (const std::string& line : log.lines()) {
        EXPECT_FALSE(hasControlBytes(line)) << line;
        EXPECT_LT(line.size(), 400u) << line;
    }
}

}  // namespace
}  // namespace chatd::testing
