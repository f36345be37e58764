// The Redis link's outbound bound (bus.redis.max_outbound_bytes): with
// redis-server stopped (SIGSTOP, the connections stay open), messages wait
// for it until one would take them over the bound; that one is refused with
// `unavailable` (counted in /metrics) and reaches nobody. Once Redis runs
// again the waiting ones are delivered and chat goes on, with no gap in seq.
#include "redis_instances.h"
#include "security_helpers.h"

namespace chatd::testing {
namespace {

constexpr std::size_t kBound = 64 * 1024;  // the smallest bound the config takes
constexpr std::size_t kTextBytes = 2'000;  // ~30 messages fill the bound

std::string textOf(std::size_t index) { return "m" + std::to_string(index) + "-" + std::string(kTextBytes, 'x'); }

void sendNumbered(WsClient& client, std::size_t index) {
    client.sendText(R"({"type":"message","id":"m)" + std::to_string(index) + R"(","text":")" + textOf(index) + R"("})");
}

// Every message `client` gets up to and including the one with `last`.
std::vector<json::Value> messagesUntil(WsClient& client, const std::string& last) {
    std::vector<json::Value> messages;
    while (messages.empty() || str(messages.back(), "text") != last) messages.push_back(client.waitFor("message", 30s));
    return messages;
}

// The messages' texts are `expected`, and their seqs follow one another in one epoch.
void expectInOrderWithoutGap(const std::vector<json::Value>& messages, const std::vector<std::string>& expected) {
    ASSERT_EQ(messages.size(), expected.size());
    for (std::size_t i = 0; i < messages.size(); ++i) {
        EXPECT_EQ(str(messages[i], "text"), expected[i]) << "message " << i;
        if (i == 0) continue;
        EXPECT_EQ(str(messages[i], "epoch"), str(messages[0], "epoch"));
        EXPECT_EQ(uint(messages[i], "seq"), uint(messages[i - 1], "seq") + 1) << "message " << i;
    }
}

// Both instances wait a long time before giving a silent Redis up (so the
// stall is met by the bound, not by the timeout), and a stall never outlives
// an instance's registration.
class OutboundBound : public SharedRooms {
protected:
    void SetUp() override {
        const auto adjust = [](config::Config& c) {
            c.bus.redis.timeout = 60s;
            c.bus.redis.instance_ttl = 45s;
            c.bus.redis.max_outbound_bytes = kBound;
        };
        a_ = instance(adjust);
        b_ = instance(adjust);
    }
    double outbound() { return metricValue(*a_, "chatd_bus_outbound_bytes"); }
};

TEST_F(OutboundBound, AStalledRedisFillsTheBoundThenAMessageIsRefusedAndNobodyGetsIt) {
    auto alice = joined(*a_, "r", "alice");
    auto carol = joined(*a_, "r", "carol");
    auto bob = joined(*b_, "r", "bob");
    say(*alice, "before");
    const json::Value before = messageWithText(*bob, "before");
    messageWithText(*carol, "before");
    messageWithText(*alice, "before");
    ASSERT_TRUE(waitUntil([&] { return outbound() == 0; }, 10s));
    EXPECT_EQ(metricValue(*a_, "chatd_bus_publish_refused_total"), 0);

    std::size_t refused = 0;
    {
        PausedRedis paused(redis_);
        // One message at a time: each is either waiting for Redis (the bytes
        // grew by at least its text) or refused, before the next is sent.
        bool was_refused = false;
        for (std::size_t index = 0; index < 2 * kBound / kTextBytes && !was_refused; ++index) {
            const double waiting = outbound();
            sendNumbered(*alice, index);
            const auto deadline = Clock::now() + 30s;
            for (;;) {
                if (auto frame = alice->receive(10ms)) {  // nothing else comes while Redis is stopped
                    std::string error;
                    const auto answer = json::parse(frame->payload, error);
                    ASSERT_TRUE(answer) << frame->payload;
                    ASSERT_EQ(str(*answer, "type"), "error") << frame->payload;
                    EXPECT_EQ(str(*answer, "code"), "unavailable");
                    EXPECT_EQ(str(*answer, "id"), "m" + std::to_string(index));
                    refused = index;
                    was_refused = true;
                    break;
                }
                if (outbound() >= waiting + static_cast<double>(kTextBytes)) break;
                ASSERT_LT(Clock::now(), deadline) << "message " << index << " neither waits nor was refused";
            }
        }
        ASSERT_TRUE(was_refused) << "twice the bound was sent and nothing was refused";
        // The bound held: what waits for Redis is under it, and more than
        // the bound less one message (the refused one did not fit).
        EXPECT_LE(outbound(), static_cast<double>(kBound));
        EXPECT_GT(outbound(), static_cast<double>(kBound - 2 * kTextBytes));
        EXPECT_GT(refused, kBound / (2 * kTextBytes));
        EXPECT_EQ(metricValue(*a_, "chatd_bus_publish_refused_total"), 1);
        EXPECT_EQ(metricValue(*a_, "chatd_limit_hits_total{limit=\"bus_outbound_bytes\"}"), 1);
        EXPECT_EQ(healthOf(*a_), "redis");  // still sharing: the link was not given up
    }  // PausedRedis resumed Redis

    // Everyone gets what waited, in order, then the next message, with no
    // gap in seq: the refused message took none.
    say(*alice, "after");
    std::vector<std::string> expected;
    for (std::size_t index = 0; index < refused; ++index) expected.push_back(textOf(index));
    expected.push_back("after");
    for (WsClient* client : {alice.get(), carol.get(), bob.get()}) {
        const auto messages = messagesUntil(*client, "after");
        expectInOrderWithoutGap(messages, expected);
        ASSERT_FALSE(messages.empty());
        EXPECT_EQ(str(messages.front(), "epoch"), str(before, "epoch"));
        EXPECT_EQ(uint(messages.front(), "seq"), uint(before, "seq") + 1);
    }
    EXPECT_TRUE(waitUntil([&] { return outbound() == 0; }, 10s));
    EXPECT_EQ(metricValue(*a_, "chatd_bus_publish_refused_total"), 1);
    EXPECT_EQ(metricValue(*b_, "chatd_bus_publish_refused_total"), 0);
}

}  // namespace
}  // namespace chatd::testing
