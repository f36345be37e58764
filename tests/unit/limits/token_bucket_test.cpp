#include "limits/token_bucket.h"

#include <gtest/gtest.h>

namespace chatd::limits {
namespace {

using namespace std::chrono_literals;
using Clock = TokenBucket::Clock;

TEST(TokenBucket, StartsFullAndEmptiesAfterBurst) {
    const auto t0 = Clock::now();
    TokenBucket bucket(3, t0);
    EXPECT_TRUE(bucket.tryTake(1, 3, t0));
    EXPECT_TRUE(bucket.tryTake(1, 3, t0));
    EXPECT_TRUE(bucket.tryTake(1, 3, t0));
    EXPECT_FALSE(bucket.tryTake(1, 3, t0));
}

TEST(TokenBucket, RefillsAtRateAndNeverBeyondBurst) {
    const auto t0 = Clock::now();
    TokenBucket bucket(2, t0);
    ASSERT_TRUE(bucket.tryTake(10, 2, t0));
    ASSERT_TRUE(bucket.tryTake(10, 2, t0));
    EXPECT_FALSE(bucket.tryTake(10, 2, t0 + 99ms));  // 0.99 token
    EXPECT_TRUE(bucket.tryTake(10, 2, t0 + 100ms));  // 1 token after 100 ms at 10/s
    EXPECT_FALSE(bucket.tryTake(10, 2, t0 + 100ms));
    EXPECT_NEAR(bucket.tokensAt(10, 2, t0 + 1h), 2.0, 1e-9);  // capped at burst
}

// take() is for work already done: it always takes, into debt down to
// -burst, and the debt is repaid before the next token (flood control).
TEST(TokenBucket, TakeGoesIntoBoundedDebtThatDelaysTheNextToken) {
    const auto t0 = Clock::now();
    TokenBucket bucket(1, t0);
    bucket.take(10, 1, t0);  // the one token
    EXPECT_GE(bucket.timeUntilToken(10, 1, t0), 100ms);
    EXPECT_LE(bucket.timeUntilToken(10, 1, t0), 101ms);
    bucket.take(10, 1, t0);  // one in debt
    EXPECT_NEAR(bucket.tokensAt(10, 1, t0), -1.0, 1e-9);
    EXPECT_GE(bucket.timeUntilToken(10, 1, t0), 200ms);
    bucket.take(10, 1, t0);  // the debt stops at -burst
    EXPECT_NEAR(bucket.tokensAt(10, 1, t0), -1.0, 1e-9);
    EXPECT_EQ(bucket.timeUntilToken(10, 1, t0 + 201ms), 0ms);
}

TEST(TokenBucket, FullnessAndTimeUntilNextToken) {
    const auto t0 = Clock::now();
    TokenBucket bucket(1, t0);
    EXPECT_TRUE(bucket.isFull(2, 1, t0));
    EXPECT_EQ(bucket.timeUntilToken(2, 1, t0), 0ms);
    ASSERT_TRUE(bucket.tryTake(2, 1, t0));
    EXPECT_FALSE(bucket.isFull(2, 1, t0 + 499ms));
    EXPECT_TRUE(bucket.isFull(2, 1, t0 + 500ms));
    const auto wait = bucket.timeUntilToken(2, 1, t0 + 100ms);  // 0.4 s left at 2/s
    EXPECT_GE(wait, 400ms);
    EXPECT_LE(wait, 401ms);
    EXPECT_EQ(bucket.timeUntilToken(0, 1, t0), std::chrono::milliseconds::max());
}

TEST(TokenBucket, TimeGoingBackwardsGrantsNothing) {
    const auto t0 = Clock::now();
    TokenBucket bucket(1, t0);
    ASSERT_TRUE(bucket.tryTake(1, 1, t0));
    EXPECT_FALSE(bucket.tryTake(1, 1, t0 - 10s));
    EXPECT_FALSE(bucket.tryTake(1, 1, t0 + 999ms));
    EXPECT_TRUE(bucket.tryTake(1, 1, t0 + 1s));
}

}  // namespace
}  // namespace chatd::limits
