// Flood control end to end (limits.session_messages_per_second and
// limits.session_message_burst): a client sending far faster than its rate
// is simply read at that rate (its connection held unread between tokens,
// TCP pushing back on it alone): everything it sent arrives, in order, no
// faster than the rate allows, and the others in its room are not slowed.
// A reload changes the rate of connected clients; 0 turns pacing off.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "security_helpers.h"
#include "test_server.h"
#include "ws/frame_encoder.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kMessages = 200;
constexpr std::size_t kRate = 20;
constexpr std::size_t kBurst = 10;

void pace(config::Config& config, std::size_t rate, std::size_t burst) {
    config.limits.session_messages_per_second = rate;
    config.limits.session_message_burst = burst;
}

// `count` chat messages "m0", "m1"... as one write: the kernel takes them all at once.
void sendBurst(WsClient& client, int count) {
    std::string burst;
    for (int i = 0; i < count; ++i)
        burst +=
            ws::encodeClientFrame(ws::Opcode::Text, R"({"type":"message","text":"m)" + std::to_string(i) + R"("})");
    client.sendBytes(burst);
}

// What a member saw of the flood: when each of the flooder's messages
// came (they must come in order) and when the first message of anyone else did.
struct Seen {
    std::vector<Clock::time_point> flood;
    std::optional<Clock::time_point> other;
};

// Reads `reader`'s messages until the flooder's "m<count-1>" (or a failure).
// `after(seen)` runs after each message (to speak up midway).
Seen readFlood(WsClient& reader, int count, const std::function<void(const Seen&)>& after = {},
               std::chrono::milliseconds timeout = 60s) {
    Seen seen;
    const auto deadline = Clock::now() + timeout;
    while (static_cast<int>(seen.flood.size()) < count) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        json::Value event = reader.waitFor("message", std::max(left, 1ms));
        if (str(event, "from") == "flooder") {
            const std::string expected = "m" + std::to_string(seen.flood.size());
            if (str(event, "text") != expected) {
                ADD_FAILURE() << "got " << str(event, "text") << ", expected " << expected;
                return seen;
            }
            seen.flood.push_back(Clock::now());
        } else if (!seen.other) {
            seen.other = Clock::now();
        }
        if (after) after(seen);
    }
    return seen;
}

double secondsBetween(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

// 200 messages at 20/s with a burst of 10: the last cannot be read before
// (200 - 10) / 20 = 9.5 s. Alice, speaking ~1 s in, is heard at once.
TEST(FloodControl, FlooderIsReadAtItsRateEverythingArrivesInOrderOthersAreNotSlowed) {
    TestServer server([](config::Config& config) { pace(config, kRate, kBurst); });
    auto flooder = joinedClient(server.port(), "flooder");
    auto alice = joinedClient(server.port(), "alice");
    auto bob = joinedClient(server.port(), "bob");

    const auto start = Clock::now();
    sendBurst(*flooder, kMessages);
    std::optional<Clock::time_point> alice_sent;
    const Seen seen = readFlood(*bob, kMessages, [&](const Seen& so_far) {
        if (!alice_sent && so_far.flood.size() == 2 * kBurst) {
            alice_sent = Clock::now();
            alice->sendText(R"({"type":"message","text":"hello bob"})");
        }
    });
    ASSERT_EQ(seen.flood.size(), static_cast<std::size_t>(kMessages));
    const double took = secondsBetween(start, seen.flood.back());
    const double fastest =
        static_cast<double>(kMessages - static_cast<int>(kBurst)) / static_cast<double>(kRate);  // 9.5 s
    EXPECT_GE(took, fastest - 0.5) << "faster than the rate allows";
    EXPECT_LT(took, fastest + 20) << "far slower than the rate";

    ASSERT_TRUE(alice_sent && seen.other) << "alice's message never came";
    const double alice_took = secondsBetween(*alice_sent, *seen.other);
    const double flood_left = secondsBetween(*alice_sent, seen.flood.back());
    EXPECT_LT(alice_took, 1.5) << "alice waited behind the flood";
    EXPECT_LT(alice_took, flood_left / 4) << "alice waited behind the flood";

    // Counted: holds as hits of the limit; no one held once it is over.
    EXPECT_GE(metricValue(server, "chatd_limit_hits_total{limit=\"session_messages_per_second\"}"), 1);
    EXPECT_TRUE(waitUntil([&] { return metricValue(server, "chatd_held_connections") == 0; }, 10s));
    // The flooder still chats normally afterwards.
    flooder->sendText(R"({"type":"message","text":"done"})");
    json::Value done = bob->waitFor("message", 10s);
    EXPECT_EQ(str(done, "text"), "done");
}

// Raw (tutorial) clients are paced the same way: each text frame is a
// message (a raw client gets its own back: those are timed here).
TEST(FloodControl, RawClientsArePacedToo) {
    constexpr int kRawMessages = 60;  // (60 - 10) / 20 = 2.5 s at least
    TestServer server([](config::Config& config) { pace(config, kRate, kBurst); });
    WsOptions raw_options;
    raw_options.protocol = std::nullopt;
    auto raw = WsClient::connect(server.port(), raw_options);
    const auto start = Clock::now();
    std::string burst;
    for (int i = 0; i < kRawMessages; ++i) burst += ws::encodeClientFrame(ws::Opcode::Text, "m" + std::to_string(i));
    raw->sendBytes(burst);
    for (int i = 0; i < kRawMessages; ++i) {
        auto own = raw->receive(30s);
        ASSERT_TRUE(own) << "message " << i << " never came back";
        ASSERT_EQ(own->payload, "m" + std::to_string(i));
    }
    const double took = secondsBetween(start, Clock::now());
    EXPECT_GE(took, static_cast<double>(kRawMessages - static_cast<int>(kBurst)) / static_cast<double>(kRate) - 0.5);
    EXPECT_LT(took, 30.0);
}

// The shipped default is on; 0 turns it off: the 200 arrive at once.
TEST(FloodControl, RateZeroIsOff) {
    TestServer server([](config::Config& config) { pace(config, 0, kBurst); });
    auto flooder = joinedClient(server.port(), "flooder");
    auto bob = joinedClient(server.port(), "bob");
    const auto start = Clock::now();
    sendBurst(*flooder, kMessages);
    const Seen seen = readFlood(*bob, kMessages);
    ASSERT_EQ(seen.flood.size(), static_cast<std::size_t>(kMessages));
    EXPECT_LT(secondsBetween(start, seen.flood.back()), 5.0) << "paced although off";
    EXPECT_EQ(metricValue(server, "chatd_limit_hits_total{limit=\"session_messages_per_second\"}"), 0);
}

// A reload reaches connected clients: a flooder read at 2 messages/s gets
// the rest of its 40 through at once after the rate is raised to 1,000/s.
TEST(FloodControl, AReloadChangesTheRateOfConnectedClients) {
    constexpr int kSlowMessages = 40;
    TestServer server([](config::Config& config) { pace(config, 2, 1); });
    auto flooder = joinedClient(server.port(), "flooder");
    auto bob = joinedClient(server.port(), "bob");
    const auto start = Clock::now();
    sendBurst(*flooder, kSlowMessages);
    bool reloaded = false;
    Clock::time_point reloaded_at{};
    const Seen seen = readFlood(*bob, kSlowMessages, [&](const Seen& so_far) {
        if (reloaded || so_far.flood.size() < 3) return;
        // 3 messages at 2/s with a burst of 1: at least 1 s.
        EXPECT_GE(secondsBetween(start, so_far.flood.back()), 0.9) << "not paced before the reload";
        config::Config next = *server.server().config();
        pace(next, 1000, 1);
        ASSERT_TRUE(server.server().reload(next).applied);
        reloaded = true;
        reloaded_at = Clock::now();
    });
    ASSERT_EQ(seen.flood.size(), static_cast<std::size_t>(kSlowMessages));
    // At 2/s the remaining 37 would take 18 s; at 1,000/s they come as soon as the current hold (<= 0.5 s) ends.
    EXPECT_LT(secondsBetween(reloaded_at, seen.flood.back()), 5.0) << "the reload did not change the rate";
}

}  // namespace
}  // namespace chatd::testing
