#include "metrics/instruments.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace chatd::metrics {
namespace {

TEST(Counter, CountsUp) {
    Counter counter;
    EXPECT_EQ(counter.value(), 0u);
    counter.inc();
    counter.inc(41);
    EXPECT_EQ(counter.value(), 42u);
}

TEST(Gauge, SetAddIncDec) {
    Gauge gauge;
    gauge.set(10);
    gauge.inc();
    gauge.dec();
    gauge.dec();
    gauge.add(0.5);
    EXPECT_DOUBLE_EQ(gauge.value(), 9.5);
}

TEST(Histogram, LeBucketsAreInclusiveAndCumulative) {
    Histogram histogram({1, 2, 5});
    for (double v : {0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 7.0, -1.0}) histogram.observe(v);
    const auto snapshot = histogram.snapshot();
    EXPECT_EQ(snapshot.cumulative, (std::vector<std::uint64_t>{3, 5, 7, 8}));  // <=1: 0.5, 1, -1
    EXPECT_DOUBLE_EQ(snapshot.sum, 19.0);
}

TEST(Histogram, NanIsIgnoredInfinityGoesToTheLastBucket) {
    Histogram histogram({1});
    histogram.observe(std::numeric_limits<double>::quiet_NaN());
    histogram.observe(std::numeric_limits<double>::infinity());
    const auto snapshot = histogram.snapshot();
    EXPECT_EQ(snapshot.cumulative, (std::vector<std::uint64_t>{0, 1}));
    EXPECT_TRUE(std::isinf(snapshot.sum));
}

TEST(Histogram, ObservesDurationsInSeconds) {
    Histogram histogram({0.001, 0.01});
    histogram.observe(std::chrono::microseconds(500));
    histogram.observe(std::chrono::milliseconds(5));
    const auto snapshot = histogram.snapshot();
    EXPECT_EQ(snapshot.cumulative, (std::vector<std::uint64_t>{1, 2, 2}));
    EXPECT_NEAR(snapshot.sum, 0.0055, 1e-12);
}

TEST(Histogram, RefusesBadBounds) {
    EXPECT_THROW(Histogram({}), std::invalid_argument);
    EXPECT_THROW(Histogram({1, 1}), std::invalid_argument);
    EXPECT_THROW(Histogram({2, 1}), std::invalid_argument);
    EXPECT_THROW(Histogram({1, std::numeric_limits<double>::infinity()}), std::invalid_argument);
    EXPECT_THROW(Histogram({std::numeric_limits<double>::quiet_NaN()}), std::invalid_argument);
}

TEST(Buckets, ExponentialAndLatencyLayouts) {
    EXPECT_EQ(exponentialBuckets(1, 2, 4), (std::vector<double>{1, 2, 4, 8}));
    EXPECT_THROW(exponentialBuckets(0, 2, 3), std::invalid_argument);
    EXPECT_THROW(exponentialBuckets(1, 1, 3), std::invalid_argument);
    EXPECT_THROW(exponentialBuckets(1, 2, 0), std::invalid_argument);
    const auto latency = latencyBuckets();
    EXPECT_DOUBLE_EQ(latency.front(), 50e-6);
    EXPECT_GT(latency.back(), 1.0);
    EXPECT_NO_THROW(Histogram{latency});
}

TEST(Instruments, ConcurrentUpdatesLoseNothing) {
    Counter counter;
    Gauge gauge;
    Histogram histogram({1});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 50'000; ++i) {
                counter.inc();
                gauge.inc();
                histogram.observe(0.5);
            }
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(counter.value(), 200'000u);
    EXPECT_DOUBLE_EQ(gauge.value(), 200'000.0);
    EXPECT_EQ(histogram.snapshot().cumulative.back(), 200'000u);
    EXPECT_DOUBLE_EQ(histogram.snapshot().sum, 100'000.0);
}

}  // namespace
}  // namespace chatd::metrics
