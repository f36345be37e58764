#include "histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace chatd::bench {

namespace {
constexpr std::size_t kLinear = 128;    // values below are their own bucket
constexpr std::size_t kHalf = 64;       // sub-buckets per power of two above
constexpr std::size_t kBuckets = 3776;  // (63 - 6) * 64 + 128: covers every uint64
}  // namespace

Histogram::Histogram() : counts_(kBuckets, 0) {}

std::size_t Histogram::bucketOf(std::uint64_t value) {
    if (value < kLinear) return static_cast<std::size_t>(value);
    const int exponent = 63 - std::countl_zero(value);  // >= 7
    const std::uint64_t mantissa = value >> (exponent - 6);  // 64..127
    return static_cast<std::size_t>((exponent - 6) * kHalf + mantissa);
}

std::uint64_t Histogram::bucketHighest(std::size_t bucket) {
    if (bucket < kLinear) return bucket;
    const int exponent = static_cast<int>(bucket / kHalf) + 5;
    const std::uint64_t mantissa = bucket % kHalf + kHalf;
    const int shift = exponent - 6;
    if (mantissa == 127 && exponent == 63) return UINT64_MAX;
    return ((mantissa + 1) << shift) - 1;
}

void Histogram::record(std::int64_t value) {
    if (value < 0) value = 0;
    ++counts_[bucketOf(static_cast<std::uint64_t>(value))];
    ++count_;
    max_ = std::max(max_, value);
}

void Histogram::merge(const Histogram& other) {
    for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
    count_ += other.count_;
    max_ = std::max(max_, other.max_);
}

std::int64_t Histogram::percentile(double q) const {
    if (count_ == 0) return 0;
    q = std::clamp(q, 0.0, 1.0);
    const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * double(count_))));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
        seen += counts_[i];
        if (seen >= rank) {
            const std::uint64_t highest = bucketHighest(i);
            return highest > static_cast<std::uint64_t>(max_) ? max_ : static_cast<std::int64_t>(highest);
        }
    }
    return max_;
}

}  // namespace chatd::bench
