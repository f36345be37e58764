// Token bucket arithmetic for the ratelimit plugin, plus a periodic sweep so
// the buckets of sessions that are gone cannot grow the table forever.
#include "token_buckets.h"

#include <algorithm>

namespace chatd::plugins::ratelimit {

namespace {
constexpr std::uint64_t kSweepEvery = 4096;  // takes between two sweeps
}

TokenBuckets::TokenBuckets(double rate, std::int64_t burst)
    : interval_(
          std::max(Clock::duration(1), std::chrono::round<Clock::duration>(std::chrono::duration<double>(1.0 / rate)))),
      tolerance_(interval_ * (burst - 1)) {}

// A session's bucket is empty by (full_at - now) / interval tokens; a message
// fits while that debt stays within burst - 1 tokens, and adds one token.
bool TokenBuckets::take(std::uint64_t session, Clock::time_point now) {
    if (++takes_since_sweep_ >= kSweepEvery) sweep(now);
    auto [it, created] = full_at_.try_emplace(session, now);
    Clock::time_point& full_at = it->second;
    const Clock::time_point start = std::max(full_at, now);
    if (start - now > tolerance_) return false;
    full_at = start + interval_;
    return true;
}

void TokenBuckets::sweep(Clock::time_point now) {
    takes_since_sweep_ = 0;
    std::erase_if(full_at_, [&](const auto& item) { return item.second <= now; });
}

}  // namespace chatd::plugins::ratelimit
