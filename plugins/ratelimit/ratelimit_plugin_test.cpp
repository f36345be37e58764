// Tests of the ratelimit plugin (through the fake host, with a fake clock) and
// of its token buckets.
#include "ratelimit_plugin.h"

#include <gtest/gtest.h>

#include <chatd/testing/fake_host.hpp>

namespace chatd::plugins::ratelimit {
namespace {

using namespace std::chrono_literals;
using sdk::testing::FakeHost;
using sdk::testing::Sender;
using Clock = TokenBuckets::Clock;

// The plugin with a clock the test moves by hand.
class ManualClockRateLimit : public RateLimitPlugin {
public:
    ManualClockRateLimit() { latest = this; }
    ~ManualClockRateLimit() override {
        if (latest == this) latest = nullptr;
    }
    static inline Clock::time_point current{};
    static inline const ManualClockRateLimit* latest = nullptr;  // the instance created last

protected:
    Clock::time_point now() const override { return current; }
};

class RateLimitTest : public ::testing::Test {
protected:
    void SetUp() override { ManualClockRateLimit::current = Clock::time_point{} + 1000s; }
    static void advance(Clock::duration d) { ManualClockRateLimit::current += d; }

    static FakeHost limiter(const std::string& yaml) {
        FakeHost host = FakeHost::of<ManualClockRateLimit>("ratelimit");
        host.init(yaml);
        return host;
    }
    // How many of `n` messages from `who` pass right now.
    static int passes(FakeHost& host, int n, const Sender& who = {}) {
        int passed = 0;
        for (int i = 0; i < n; ++i) passed += host.send("hi", who).passed() ? 1 : 0;
        return passed;
    }
};

TEST_F(RateLimitTest, BurstPassesThenRejectsWithRateLimited) {
    FakeHost host = limiter("{rate: 1, burst: 3}");
    EXPECT_EQ(passes(host, 3), 3);
    const auto out = host.send("one too many");
    EXPECT_TRUE(out.rejected());
    EXPECT_EQ(out.verdict.code, "rate_limited");
    EXPECT_EQ(out.verdict.reason, "too many messages, slow down");
}

TEST_F(RateLimitTest, TokensRefillAtTheRate) {
    FakeHost host = limiter("{rate: 2, burst: 1}");
    EXPECT_EQ(passes(host, 5), 1);
    advance(499ms);
    EXPECT_EQ(passes(host, 1), 0);
    advance(1ms);
    EXPECT_EQ(passes(host, 5), 1);
    advance(10s);  // refills up to burst only
    EXPECT_EQ(passes(host, 5), 1);
}

TEST_F(RateLimitTest, FractionalRate) {
    FakeHost host = limiter("{rate: 0.5, burst: 1}");
    EXPECT_EQ(passes(host, 2), 1);
    advance(1999ms);
    EXPECT_EQ(passes(host, 1), 0);
    advance(1ms);
    EXPECT_EQ(passes(host, 1), 1);
}

TEST_F(RateLimitTest, SessionsHaveTheirOwnBuckets) {
    FakeHost host = limiter("{rate: 1, burst: 2}");
    EXPECT_EQ(passes(host, 5, {.session_id = 1}), 2);
    EXPECT_EQ(passes(host, 5, {.session_id = 2}), 2);
}

// The bucket belongs to the session: leaving a room, joining another and
// coming back gives no new burst.
TEST_F(RateLimitTest, SwitchingRoomsKeepsTheBucket) {
    FakeHost host = limiter("{rate: 1, burst: 2}");
    EXPECT_EQ(passes(host, 5, {.session_id = 9, .room = "a"}), 2);
    EXPECT_FALSE(host.leave({.session_id = 9, .room = "a"}).has_value());
    EXPECT_FALSE(host.join({.session_id = 9, .room = "b"}).has_value());
    EXPECT_EQ(passes(host, 5, {.session_id = 9, .room = "b"}), 0);
    EXPECT_FALSE(host.leave({.session_id = 9, .room = "b"}).has_value());
    EXPECT_FALSE(host.join({.session_id = 9, .room = "a"}).has_value());
    EXPECT_EQ(passes(host, 5, {.session_id = 9, .room = "a"}), 0);
    advance(1s);  // and it refills at the rate, wherever the session is
    EXPECT_EQ(passes(host, 5, {.session_id = 9, .room = "a"}), 1);
}

// Without a session-closed hook the table is bounded by the sweep alone:
// the buckets of sessions that are gone go once they have refilled.
TEST_F(RateLimitTest, BucketsOfGoneSessionsAreSweptOnceFull) {
    FakeHost host = limiter("{rate: 1, burst: 2}");
    const ManualClockRateLimit& plugin = *ManualClockRateLimit::latest;
    for (std::uint64_t s = 1; s <= 1000; ++s) {
        passes(host, 1, {.session_id = s});
        host.leave({.session_id = s});
    }
    EXPECT_EQ(plugin.sessions(), 1000u);
    advance(2s);
    passes(host, 4096, {.session_id = 5000});
    EXPECT_EQ(plugin.sessions(), 1u);
}

TEST_F(RateLimitTest, ReloadKeepsTheBucketsUnderTheNewLimits) {
    FakeHost host = limiter("{rate: 1, burst: 5}");
    EXPECT_EQ(passes(host, 5, {.session_id = 1}), 5);
    EXPECT_EQ(passes(host, 1, {.session_id = 2}), 1);  // one token used
    host.reload("{rate: 1, burst: 2, reason: 'easy'}");
    EXPECT_EQ(passes(host, 3, {.session_id = 1}), 0);  // still empty
    EXPECT_EQ(passes(host, 3, {.session_id = 2}), 1);  // one used of the new 2
    EXPECT_EQ(passes(host, 3, {.session_id = 3}), 2);  // a new session gets the new burst
    EXPECT_EQ(host.send("x", {.session_id = 2}).verdict.reason, "easy");
}

TEST_F(RateLimitTest, DefaultsApplyWithoutConfig) {
    FakeHost host = limiter("");
    EXPECT_EQ(passes(host, 20), 10);
}

TEST_F(RateLimitTest, BadConfigIsRefused) {
    FakeHost host = FakeHost::of<ManualClockRateLimit>("ratelimit");
    const std::string bad_rate = "key 'rate': must be a number from 0.000001 to 1000000000";
    EXPECT_EQ(host.tryInit("rate: 0").value_or(""), bad_rate);
    EXPECT_EQ(host.tryInit("rate: -1").value_or(""), bad_rate);
    EXPECT_EQ(host.tryInit("rate: .nan").value_or(""), bad_rate);
    EXPECT_EQ(host.tryInit("rate: 1e10").value_or(""), bad_rate);
    EXPECT_EQ(host.tryInit("rate: fast").value_or(""), "key 'rate': expected a number, got 'fast'");
    EXPECT_EQ(host.tryInit("burst: 0").value_or(""), "key 'burst': must be an integer from 1 to 1000000");
    EXPECT_EQ(host.tryInit("burst: 1.5").value_or(""), "key 'burst': expected an integer, got '1.5'");
    EXPECT_EQ(host.tryInit("brust: 3").value_or(""), "unknown key 'brust' (known keys: rate, burst, reason)");
    EXPECT_FALSE(host.tryInit("{rate: 1, burst: 1000000}").has_value());
}

TEST(TokenBuckets, SweepDropsOnlyFullBuckets) {
    TokenBuckets buckets(1.0, 2);
    const auto t0 = Clock::time_point{} + 1000s;
    for (std::uint64_t s = 0; s < 100; ++s) buckets.take(s, t0);
    buckets.take(1000, t0 + 1500ms);
    buckets.take(1000, t0 + 1500ms);  // session 1000 is now empty
    EXPECT_EQ(buckets.sessions(), 101u);
    // The sweep runs inside take() every 4096 takes; by then sessions 0..99
    // have refilled, session 1000 has not (it keeps being drained).
    for (int i = 0; i < 4096; ++i) buckets.take(1000, t0 + 3s);
    EXPECT_EQ(buckets.sessions(), 1u);
    EXPECT_FALSE(buckets.take(1000, t0 + 3s));
}

TEST(TokenBuckets, ClockGoingBackwardsGivesNoTokens) {
    TokenBuckets buckets(1.0, 1);
    const auto t0 = Clock::time_point{} + 1000s;
    EXPECT_TRUE(buckets.take(1, t0));
    EXPECT_FALSE(buckets.take(1, t0 - 5s));
    EXPECT_FALSE(buckets.take(1, t0 + 999ms));
    EXPECT_TRUE(buckets.take(1, t0 + 1s));
}

}  // namespace
}  // namespace chatd::plugins::ratelimit
