// Histogram: bucket boundaries, percentile accuracy, merge, edge cases.
#include "histogram.h"

#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <random>

namespace chatd::bench {
namespace {

TEST(Histogram, EmptyReportsZero) {
    Histogram h;
    EXPECT_EQ(h.count(), 0u);
    EXPECT_EQ(h.percentile(0.5), 0);
    EXPECT_EQ(h.max(), 0);
}

TEST(Histogram, SmallValuesAreExact) {
    Histogram h;
    for (int v = 0; v < 100; ++v) h.record(v);
    EXPECT_EQ(h.percentile(0.5), 49);
    EXPECT_EQ(h.percentile(0.99), 98);
    EXPECT_EQ(h.percentile(1.0), 99);
    EXPECT_EQ(h.percentile(0.0), 0);  // the smallest sample
}

TEST(Histogram, BucketsAreContiguousAndOrdered) {
    // Every value maps to a bucket whose highest value is >= it, and the next
    // bucket starts right after: no gaps, no overlaps.
    const std::uint64_t values[] = {0, 127, 128, 129, 255, 256, 1000, 123456789, 1ull << 62, UINT64_MAX};
    for (std::uint64_t v : values) {
        const std::size_t b = Histogram::bucketOf(v);
        EXPECT_GE(Histogram::bucketHighest(b), v) << v;
        if (b > 0) {
            EXPECT_LT(Histogram::bucketHighest(b - 1), v) << v;
        }
    }
    for (std::uint64_t v = 100; v < 100000; v += 7) {
        EXPECT_EQ(Histogram::bucketOf(Histogram::bucketHighest(Histogram::bucketOf(v))), Histogram::bucketOf(v));
        EXPECT_EQ(Histogram::bucketOf(Histogram::bucketHighest(Histogram::bucketOf(v)) + 1), Histogram::bucketOf(v) + 1);
    }
}

TEST(Histogram, PercentilesWithinBucketPrecision) {
    Histogram h;
    std::vector<std::int64_t> values;
    std::mt19937_64 random(42);
    std::lognormal_distribution<double> latency(13.0, 1.0);  // around a millisecond, in ns
    for (int i = 0; i < 100000; ++i) {
        values.push_back(static_cast<std::int64_t>(latency(random)));
        h.record(values.back());
    }
    std::sort(values.begin(), values.end());
    for (double q : {0.5, 0.9, 0.99, 0.999}) {
        const auto exact = double(values[static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size()))) - 1]);
        EXPECT_NEAR(double(h.percentile(q)), exact, exact * 0.016) << "q=" << q;
        EXPECT_GE(double(h.percentile(q)), exact) << "reports the bucket's highest value";
    }
    EXPECT_EQ(h.percentile(1.0), values.back());
    EXPECT_EQ(h.max(), values.back());
}

TEST(Histogram, NegativeCountsAsZero) {
    Histogram h;
    h.record(-5);
    EXPECT_EQ(h.count(), 1u);
    EXPECT_EQ(h.percentile(1.0), 0);
}

TEST(Histogram, MergeAddsCountsAndKeepsMax) {
    Histogram a, b;
    for (int i = 0; i < 10; ++i) a.record(10);
    for (int i = 0; i < 30; ++i) b.record(1'000'000);
    a.merge(b);
    EXPECT_EQ(a.count(), 40u);
    EXPECT_EQ(a.percentile(0.25), 10);
    EXPECT_NEAR(double(a.percentile(0.26)), 1e6, 1e6 * 0.016);
    EXPECT_EQ(a.max(), 1'000'000);
}

TEST(Histogram, HugeValuesDoNotOverflow) {
    Histogram h;
    h.record(INT64_MAX);
    EXPECT_EQ(h.percentile(0.5), INT64_MAX);
}

}  // namespace
}  // namespace chatd::bench
