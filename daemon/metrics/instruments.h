// The three kinds of metric a chatd component updates on its hot path:
// Counter (only goes up), Gauge (any value) and Histogram (observations in
// fixed buckets). Each update is one or two relaxed atomic operations: no
// locks, no allocation. Obtain them from a Registry and keep the reference.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace chatd::metrics {

class Counter {
public:
    void inc(std::uint64_t by = 1) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
    std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

class Gauge {
public:
    void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
    void add(double by) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
    void inc() noexcept { add(1); }
    void dec() noexcept { add(-1); }
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0};
};

// Buckets are upper bounds ("le"), strictly increasing and finite; +Inf is implicit.
class Histogram {
public:
    // Throws std::invalid_argument for empty, unsorted, duplicate or non-finite bounds.
    explicit Histogram(std::vector<double> upper_bounds);

    // Counts `value` in the first bucket whose bound is >= value. NaN is ignored.
    void observe(double value) noexcept;
    template <typename Rep, typename Period>
    void observe(std::chrono::duration<Rep, Period> elapsed) noexcept {
        observe(std::chrono::duration<double>(elapsed).count());  // Prometheus' base unit: seconds
    }

    struct Snapshot {
        std::vector<double> upper_bounds;
        std::vector<std::uint64_t> cumulative;  // per bound, then the +Inf bucket (= count)
        double sum = 0;
    };
    Snapshot snapshot() const;

private:
    std::vector<double> upper_bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // one per bound, then +Inf
    std::atomic<double> sum_{0};
};

// Common bucket layouts.
std::vector<double> exponentialBuckets(double start, double factor, std::size_t count);
// 50 µs .. ~1.6 s, factor 2: fan-out, hook and publish latencies.
std::vector<double> latencyBuckets();

}  // namespace chatd::metrics
