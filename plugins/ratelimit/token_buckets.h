// Token buckets keyed by session, independent of chatd: each session may send
// `burst` messages at once and `rate` per second on average. Kept as the
// equivalent "generic cell rate algorithm": one time point per session (when
// its bucket will be full again), in integer clock ticks, so refills are exact.
// Not thread-safe (the plugin's hooks are never called concurrently).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace chatd::plugins::ratelimit {

class TokenBuckets {
public:
    using Clock = std::chrono::steady_clock;

    // rate > 0 (messages per second), burst >= 1 (bucket size).
    TokenBuckets(double rate, std::int64_t burst);

    // Takes one token from the session's bucket; false if it has none.
    bool take(std::uint64_t session, Clock::time_point now);

    // Takes over the state of `other` (a reload): what each session has used
    // up stays used up, refilling at this rate, up to this burst.
    void copyFrom(const TokenBuckets& other) { full_at_ = other.full_at_; }

    std::size_t sessions() const { return full_at_.size(); }

private:
    // Drops the sessions whose bucket is full: they equal a new one.
    void sweep(Clock::time_point now);

    Clock::duration interval_;   // time to refill one token: 1 / rate
    Clock::duration tolerance_;  // (burst - 1) * interval
    std::unordered_map<std::uint64_t, Clock::time_point> full_at_;
    std::uint64_t takes_since_sweep_ = 0;
};

}  // namespace chatd::plugins::ratelimit
