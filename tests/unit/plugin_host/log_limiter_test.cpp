// The rate limit of repeated error lines.
#include "plugin_host/log_limiter.h"

#include <gtest/gtest.h>

namespace chatd::plugin_host {
namespace {

using namespace std::chrono_literals;

TEST(LogLimiter, FirstLinePassesThenOnePerIntervalWithTheSuppressedCount) {
    LogLimiter limiter(1s);
    const auto t0 = LogLimiter::Clock::time_point{} + 100s;
    EXPECT_EQ(limiter.allow(t0), std::optional<std::uint64_t>(0));
    EXPECT_EQ(limiter.allow(t0 + 10ms), std::nullopt);
    EXPECT_EQ(limiter.allow(t0 + 999ms), std::nullopt);
    EXPECT_EQ(limiter.allow(t0 + 1s), std::optional<std::uint64_t>(2));
    EXPECT_EQ(limiter.allow(t0 + 5s), std::optional<std::uint64_t>(0));
}

}  // namespace
}  // namespace chatd::plugin_host
