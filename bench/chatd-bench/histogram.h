// Histogram: latencies in nanoseconds, log-linear buckets (128 per power of
// two above 128 ns: every value is kept within 1.6%), cheap to record on the
// hot path, mergeable across generator threads.
#pragma once

#include <cstdint>
#include <vector>

namespace chatd::bench {

class Histogram {
public:
    Histogram();
    void record(std::int64_t value);  // a negative value counts as 0
    void merge(const Histogram& other);

    std::uint64_t count() const { return count_; }
    std::int64_t max() const { return max_; }
    // The value below or at which a fraction `q` (0..1) of the samples lie:
    // the highest value of that sample's bucket, never above max(). 0 when empty.
    std::int64_t percentile(double q) const;

    // Exposed for tests: the bucket of a value and the highest value it holds.
    static std::size_t bucketOf(std::uint64_t value);
    static std::uint64_t bucketHighest(std::size_t bucket);

private:
    std::vector<std::uint64_t> counts_;
    std::uint64_t count_ = 0;
    std::int64_t max_ = 0;
};

}  // namespace chatd::bench
