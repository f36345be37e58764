// Backpressure end to end (issue 17 part 2): a client sending far faster
// than its hub shard can take stops being read once
// limits.session_pending_commands of its messages wait there; the shard's
// mailbox stays small, the others in the same room keep chatting with a
// short delay, and the flooder is read again as the shard catches up: every
// message it sent arrives, in order.
#include <gtest/gtest.h>

#include <algorithm>

#include "security_helpers.h"
#include "test_server.h"
#include "ws/frame_encoder.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;

// The probe plugin (tests/plugins/probe.cpp) sleeping on each message holding "slow".
config::PluginEntry slowShard(int sleep_ms) {
    config::PluginEntry entry;
    entry.name = "slow";
    entry.path = CHATD_TEST_PLUGIN_DIR "/probe.so";
    entry.config = YAML::Load("{sleep_if: slow, sleep_ms: " + std::to_string(sleep_ms) + "}");
    return entry;
}

// The next chat message `client` receives whose text is `text` (others skipped).
json::Value waitForText(WsClient& client, const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        json::Value event = client.waitFor("message", std::max(left, 1ms));
        if (str(event, "text") == text) return event;
    }
}

constexpr std::size_t kPendingLimit = 8;

TEST(Backpressure, FlooderIsPausedOthersChatAndNothingIsLost) {
    constexpr int kSleepMs = 5;
    constexpr int kMessages = 600;  // 3 s of shard time: far more than the limit lets wait
    TestServer server([](config::Config& config) {
        config.limits.session_pending_commands = kPendingLimit;
        config.plugins = {slowShard(kSleepMs)};
    });
    auto flooder = joinedClient(server.port(), "flooder");
    auto alice = joinedClient(server.port(), "alice");
    auto bob = joinedClient(server.port(), "bob");

    // All of it at once: ~25 KB, taken by the kernels' buffers without blocking.
    std::string burst;
    for (int i = 0; i < kMessages; ++i)
        burst +=
            ws::encodeClientFrame(ws::Opcode::Text, R"({"type":"message","text":"slow )" + std::to_string(i) + R"("})");
    flooder->sendBytes(burst);

    ASSERT_TRUE(waitUntil([&] { return metricValue(server, "chatd_paused_connections") >= 1; }, 10s))
        << "the flooder was never paused";
    EXPECT_GE(metricValue(server, "chatd_limit_hits_total{limit=\"session_pending_commands\"}"), 1);
    // Paused with kPendingLimit messages at the shard: the mailbox holds a few KB, not the whole flood.
    const double queued = metricValue(server, "chatd_shard_queue_bytes");
    EXPECT_LT(queued, 64.0 * 1024) << "the mailbox grew with the flood";

    // Alice's message waits behind at most kPendingLimit of the flooder's (~40 ms), not 3 s of them.
    const auto sent = std::chrono::steady_clock::now();
    alice->sendText(R"({"type":"message","text":"hello bob"})");
    waitForText(*bob, "hello bob", 10s);
    EXPECT_LT(std::chrono::steady_clock::now() - sent, 1500ms) << "the flood delayed the others";

    // The flooder is read again as the shard catches up: all of its messages arrive, in order.
    for (int i = 0; i < kMessages; ++i) {
        json::Value event = flooder->waitFor("message", 20s);
        if (str(event, "from") != "flooder") {
            --i;
            continue;
        }
        ASSERT_EQ(str(event, "text"), "slow " + std::to_string(i));
    }
    EXPECT_TRUE(waitUntil([&] { return metricValue(server, "chatd_paused_connections") == 0; }, 10s));
    // It still chats normally afterwards.
    flooder->sendText(R"({"type":"message","text":"done"})");
    waitForText(*bob, "done", 10s);
}

// A limit of 1 pauses after every message and resumes when it ran: slow, but nothing is lost or stuck.
TEST(Backpressure, LimitOfOneStillDeliversEverything) {
    constexpr int kMessages = 200;
    TestServer server([](config::Config& config) { config.limits.session_pending_commands = 1; });
    auto flooder = joinedClient(server.port(), "flooder");
    std::string burst;
    for (int i = 0; i < kMessages; ++i)
        burst +=
            ws::encodeClientFrame(ws::Opcode::Text, R"({"type":"message","text":"m)" + std::to_string(i) + R"("})");
    flooder->sendBytes(burst);
    for (int i = 0; i < kMessages; ++i)
        ASSERT_EQ(str(flooder->waitFor("message", 10s), "text"), "m" + std::to_string(i));
}

// The shard's mailbox bound: with a tiny limits.shard_queue_bytes every sender pauses
// until its own messages ran, and still nothing is lost.
TEST(Backpressure, FullMailboxPausesSendersWithoutLoss) {
    constexpr int kMessages = 100;
    TestServer server([](config::Config& config) {
        config.limits.shard_queue_bytes = 65'536;
        config.plugins = {slowShard(2)};
    });
    auto flooder = joinedClient(server.port(), "flooder");
    const std::string text = "slow " + std::string(1000, 'x');
    std::string burst;
    for (int i = 0; i < kMessages; ++i)
        burst += ws::encodeClientFrame(ws::Opcode::Text,
                                       R"({"type":"message","text":")" + text + std::to_string(i) + R"("})");
    flooder->sendBytes(burst);
    ASSERT_TRUE(waitUntil(
        [&] { return metricValue(server, "chatd_limit_hits_total{limit=\"shard_queue_bytes\"}") >= 1; }, 10s));
    EXPECT_LT(metricValue(server, "chatd_shard_queue_bytes"), 2.0 * 65'536);
    for (int i = 0; i < kMessages; ++i)
        ASSERT_EQ(str(flooder->waitFor("message", 10s), "text"), text + std::to_string(i));
}

// A paused connection is not read, so its pongs are not seen either: it is not
// timed out for them while the shard works through its messages.
TEST(Backpressure, APausedClientIsNotTimedOutByTheKeepalive) {
    TestServer server([](config::Config& config) {
        config.limits.session_pending_commands = 1;
        config.websocket.ping_interval = 300ms;
        config.websocket.ping_timeout = 300ms;
        config::PluginEntry nap = slowShard(0);
        nap.config = YAML::Load("{sleep_if: nap, sleep_ms: 2000}");
        config.plugins = {nap};
    });
    auto client = joinedClient(server.port(), "sleepy");
    client->sendText(R"({"type":"message","text":"nap"})");
    client->sendText(R"({"type":"message","text":"after"})");
    ASSERT_TRUE(waitUntil([&] { return metricValue(server, "chatd_paused_connections") >= 1; }, 10s));
    EXPECT_EQ(str(client->waitFor("message", 10s), "text"), "nap");
    EXPECT_EQ(str(client->waitFor("message", 10s), "text"), "after");
}

}  // namespace
}  // namespace chatd::testing
