#include "util/log_throttle.h"

#include <time.h>

namespace chatd::util {

std::optional<std::uint64_t> LogThrottle::pass(Clock::time_point now) {
    const Clock::rep ticks = now.time_since_epoch().count();
    Clock::rep next = next_line_.load(std::memory_order_relaxed);
    // One caller wins the line of this interval; the others are left out.
    do {
        if (ticks < next) {
            left_out_.fetch_add(1, std::memory_order_relaxed);
            return std::nullopt;
        }
    } while (!next_line_.compare_exchange_weak(next, ticks + interval_.count(), std::memory_order_relaxed));
    return left_out_.exchange(0, std::memory_order_relaxed);
}

// CLOCK_MONOTONIC_COARSE counts from the same origin as CLOCK_MONOTONIC
// (steady_clock), at the resolution of the kernel's tick.
LogThrottle::Clock::time_point LogThrottle::coarseNow() {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
    const auto since_origin = std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
    return Clock::time_point(std::chrono::duration_cast<Clock::duration>(since_origin));
}

std::string leftOutNote(std::uint64_t left_out) {
    if (left_out == 0) return {};
    return " (" + std::to_string(left_out) + " more since the last line)";
}

}  // namespace chatd::util
