#include "limits/address_limiter.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace chatd::limits {
namespace {

using namespace std::chrono_literals;
using Clock = AddressLimiter::Clock;

AddressLimits perAddress(std::size_t max, double rate = 0, double burst = 1) { return AddressLimits{max, rate, burst}; }

TEST(AddressLimiter, CountsOpenConnectionsPerAddressAndRefusesOverTheMax) {
    auto limiter = AddressLimiter::create();
    const auto limits = perAddress(2);
    auto a = limiter->admit("10.0.0.1", limits);
    auto b = limiter->admit("10.0.0.1", limits);
    ASSERT_EQ(a.verdict, Admission::Admitted);
    ASSERT_EQ(b.verdict, Admission::Admitted);
    EXPECT_EQ(b.open, 2u);
    auto c = limiter->admit("10.0.0.1", limits);
    EXPECT_EQ(c.verdict, Admission::TooManyConnections);
    EXPECT_FALSE(c.slot);
    EXPECT_EQ(c.open, 2u);
    EXPECT_EQ(limiter->admit("10.0.0.2", limits).verdict, Admission::Admitted);  // others are not affected
    EXPECT_EQ(limiter->openConnections("10.0.0.1"), 2u);
}

TEST(AddressLimiter, ASlotGivesItsCountBackWhenItDies) {
    auto limiter = AddressLimiter::create();
    const auto limits = perAddress(1);
    {
        auto first = limiter->admit("10.0.0.1", limits);
        ASSERT_TRUE(first.slot);
        EXPECT_EQ(limiter->admit("10.0.0.1", limits).verdict, Admission::TooManyConnections);
        AddressSlot moved = std::move(first.slot);  // moving does not release
        EXPECT_EQ(limiter->openConnections("10.0.0.1"), 1u);
    }
    EXPECT_EQ(limiter->openConnections("10.0.0.1"), 0u);
    auto again = limiter->admit("10.0.0.1", limits);
    EXPECT_EQ(again.verdict, Admission::Admitted);
    again.slot = AddressSlot();  // assigning over a slot releases it
    EXPECT_EQ(limiter->openConnections("10.0.0.1"), 0u);
}

TEST(AddressLimiter, NewConnectionRateIsATokenBucketPerAddress) {
    auto limiter = AddressLimiter::create();
    const AddressLimits limits{0, 2, 3};  // 2/s, burst 3, no count limit
    const auto t0 = Clock::now();
    std::vector<AddressSlot> slots;
    for (int i = 0; i < 3; ++i) {
        auto result = limiter->admit("10.0.0.1", limits, t0);
        ASSERT_EQ(result.verdict, Admission::Admitted) << i;
        slots.push_back(std::move(result.slot));
    }
    auto refused = limiter->admit("10.0.0.1", limits, t0);
    EXPECT_EQ(refused.verdict, Admission::TooFast);
    EXPECT_GE(refused.retry_after, 500ms);
    EXPECT_LE(refused.retry_after, 501ms);
    EXPECT_EQ(limiter->admit("10.0.0.2", limits, t0).verdict, Admission::Admitted);
    EXPECT_EQ(limiter->admit("10.0.0.1", limits, t0 + 500ms).verdict, Admission::Admitted);
    EXPECT_EQ(limiter->admit("10.0.0.1", limits, t0 + 500ms).verdict, Admission::TooFast);
}

TEST(AddressLimiter, ClosingConnectionsDoesNotRefillTheBucket) {
    auto limiter = AddressLimiter::create();
    const AddressLimits limits{0, 0.001, 2};  // practically no refill during the test
    for (int i = 0; i < 2; ++i) ASSERT_EQ(limiter->admit("10.0.0.1", limits).verdict, Admission::Admitted);
    // Both slots died at once (temporaries); the address is remembered because its bucket is not full.
    EXPECT_EQ(limiter->trackedAddresses(), 1u);
    EXPECT_EQ(limiter->admit("10.0.0.1", limits).verdict, Admission::TooFast);
}

TEST(AddressLimiter, BothLimitsOffTracksNothing) {
    auto limiter = AddressLimiter::create(16);
    const AddressLimits off{0, 0, 1};
    std::vector<AddressSlot> slots;
    for (int i = 0; i < 100; ++i) {
        auto result = limiter->admit("10.0.0." + std::to_string(i), off);
        ASSERT_EQ(result.verdict, Admission::Admitted);
        slots.push_back(std::move(result.slot));
    }
    EXPECT_EQ(limiter->trackedAddresses(), 0u);
}

TEST(AddressLimiter, IdleAddressesAreForgottenSoMemoryStaysBounded) {
    auto limiter = AddressLimiter::create(16);  // one entry per shard
    const AddressLimits limits{10, 1000, 1};    // refills in 1 ms
    const auto t0 = Clock::now();
    for (int i = 0; i < 10'000; ++i) {
        const auto now = t0 + std::chrono::milliseconds(2 * i);
        EXPECT_EQ(limiter->admit("192.0.2." + std::to_string(i % 250) + "-" + std::to_string(i), limits, now).verdict,
                  Admission::Admitted);
        ASSERT_LE(limiter->trackedAddresses(), 16u);
    }
    EXPECT_EQ(limiter->earlyEvictions(), 0u);  // each was idle and refilled when it was dropped
}

TEST(AddressLimiter, UnderPressureTheLeastRecentIdleAddressIsForgottenEarly) {
    auto limiter = AddressLimiter::create(16);
    const AddressLimits limits{10, 0.001, 1};  // buckets stay empty: nothing is idle-and-full
    const auto t0 = Clock::now();
    for (int i = 0; i < 200; ++i)
        ASSERT_EQ(limiter->admit("a" + std::to_string(i), limits, t0 + std::chrono::milliseconds(i)).verdict,
                  Admission::Admitted);
    EXPECT_LE(limiter->trackedAddresses(), 16u);
    EXPECT_GE(limiter->earlyEvictions(), 200u - 16u);
}

TEST(AddressLimiter, ShardChoiceIsSeededPerLimiterSoItCannotBePredicted) {
    auto first = AddressLimiter::create();
    auto second = AddressLimiter::create();
    std::vector<std::size_t> first_shards;
    std::vector<std::size_t> second_shards;
    std::set<std::size_t> used;
    for (int i = 0; i < 64; ++i) {
        const std::string key = "10.0.0." + std::to_string(i);
        first_shards.push_back(first->shardIndex(key));
        second_shards.push_back(second->shardIndex(key));
        EXPECT_EQ(first->shardIndex(key), first_shards.back());  // stable within one limiter
        EXPECT_LT(first_shards.back(), 16u);
        used.insert(first_shards.back());
    }
    EXPECT_NE(first_shards, second_shards);  // equal by chance: 1 in 16^64
    EXPECT_GE(used.size(), 8u);              // and still spread over the shards
}

TEST(AddressLimiter, TableFullOfActiveAddressesRefusesNewOnes) {
    auto limiter = AddressLimiter::create(16);
    const auto limits = perAddress(10);
    std::vector<AddressSlot> held;
    int refused = 0;
    for (int i = 0; i < 400; ++i) {
        auto result = limiter->admit("b" + std::to_string(i), limits);
        if (result.verdict == Admission::TableFull)
            ++refused;
        else
            held.push_back(std::move(result.slot));
    }
    EXPECT_EQ(held.size(), limiter->trackedAddresses());
    EXPECT_LE(held.size(), 16u);
    EXPECT_EQ(refused, 400 - static_cast<int>(held.size()));
    held.clear();  // connections gone: room again
    EXPECT_EQ(limiter->admit("b-new", limits).verdict, Admission::Admitted);
}

TEST(AddressLimiter, ConcurrentAdmitAndReleaseKeepExactCounts) {
    auto limiter = AddressLimiter::create();
    const auto limits = perAddress(1'000'000);
    std::vector<std::thread> threads;
    std::vector<std::vector<AddressSlot>> kept(4);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 5'000; ++i) {
                auto result = limiter->admit("10.0.0." + std::to_string(i % 7), limits);
                ASSERT_EQ(result.verdict, Admission::Admitted);
                if (i % 2 == 0) kept[t].push_back(std::move(result.slot));  // odd ones die at once
            }
        });
    }
    for (auto& thread : threads) thread.join();
    std::size_t total = 0;
    for (int a = 0; a < 7; ++a) total += limiter->openConnections("10.0.0." + std::to_string(a));
    EXPECT_EQ(total, 4u * 2'500u);
    kept.clear();
    EXPECT_EQ(limiter->trackedAddresses(), 0u);
}

TEST(AddressLimiter, SlotOutlivingTheCallerKeepsTheLimiterAlive) {
    AddressSlot slot;
    {
        auto limiter = AddressLimiter::create();
        slot = limiter->admit("10.0.0.1", perAddress(1)).slot;
    }
    EXPECT_TRUE(slot);
    slot = AddressSlot();  // releases into the still-living limiter: no crash under ASan
}

}  // namespace
}  // namespace chatd::limits
