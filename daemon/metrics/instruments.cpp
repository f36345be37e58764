#include "metrics/instruments.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace chatd::metrics {

Histogram::Histogram(std::vector<double> upper_bounds) : upper_bounds_(std::move(upper_bounds)) {
    if (upper_bounds_.empty()) throw std::invalid_argument("a histogram needs at least one bucket");
    for (std::size_t i = 0; i < upper_bounds_.size(); ++i) {
        if (!std::isfinite(upper_bounds_[i]))
            throw std::invalid_argument("histogram bucket bounds must be finite (+Inf is implicit)");
        if (i > 0 && upper_bounds_[i] <= upper_bounds_[i - 1])
            throw std::invalid_argument("histogram bucket bounds must be strictly increasing");
    }
    counts_ = std::make_unique<std::atomic<std::uint64_t>[]>(upper_bounds_.size() + 1);
}

void Histogram::observe(double value) noexcept {
    if (std::isnan(value)) return;
    const auto bucket = std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) - upper_bounds_.begin();
    counts_[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
    Snapshot out;
    out.upper_bounds = upper_bounds_;
    out.cumulative.reserve(upper_bounds_.size() + 1);
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= upper_bounds_.size(); ++i) {
        running += counts_[i].load(std::memory_order_relaxed);
        out.cumulative.push_back(running);
    }
    out.sum = sum_.load(std::memory_order_relaxed);
    return out;
}

std::vector<double> exponentialBuckets(double start, double factor, std::size_t count) {
    if (start <= 0 || factor <= 1 || count == 0)
        throw std::invalid_argument("exponential buckets need start > 0, factor > 1, count >= 1");
    std::vector<double> bounds;
    for (double bound = start; bounds.size() < count; bound *= factor) bounds.push_back(bound);
    return bounds;
}

std::vector<double> latencyBuckets() { return exponentialBuckets(50e-6, 2, 16); }

}  // namespace chatd::metrics
