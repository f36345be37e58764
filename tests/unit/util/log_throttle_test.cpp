// The one rate limit for log lines a client can cause.
#include "util/log_throttle.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "log_capture.h"

namespace chatd::util {
namespace {

using namespace std::chrono_literals;
using Clock = LogThrottle::Clock;

TEST(LogThrottle, FirstLinePassesThenOnePerIntervalWithTheCountLeftOut) {
    LogThrottle throttle(1s);
    const auto t0 = Clock::now();
    EXPECT_EQ(throttle.pass(t0), std::optional<std::uint64_t>(0));
    EXPECT_EQ(throttle.pass(t0 + 10ms), std::nullopt);
    EXPECT_EQ(throttle.pass(t0 + 999ms), std::nullopt);
    EXPECT_EQ(throttle.pass(t0 + 1s), std::optional<std::uint64_t>(2));
    EXPECT_EQ(throttle.pass(t0 + 1500ms), std::nullopt);
    EXPECT_EQ(throttle.pass(t0 + 5s), std::optional<std::uint64_t>(1));
    EXPECT_EQ(throttle.pass(t0 + 10s), std::optional<std::uint64_t>(0));
}

TEST(LogThrottle, TheNoteNamesWhatWasLeftOut) {
    EXPECT_EQ(leftOutNote(0), "");
    EXPECT_EQ(leftOutNote(1), " (1 more since the last line)");
    EXPECT_EQ(leftOutNote(4'460'000), " (4460000 more since the last line)");
}

TEST(LogThrottle, ConcurrentCallersGetOneLineAndEveryOtherIsCounted) {
    LogThrottle throttle(1h);
    std::atomic<std::uint64_t> passed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 10'000; ++i)
                if (throttle.pass()) passed.fetch_add(1);
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(passed.load(), 1u);
    // The next line (an hour on) reports every one of the others.
    EXPECT_EQ(throttle.pass(Clock::now() + 2h), std::optional<std::uint64_t>(39'999));
}

TEST(LogThrottle, LogFormatsOnlyTheLinesLetThroughAndEndsThemWithTheNote) {
    testing::LogCapture log;
    LogThrottle throttle(1h);
    for (int i = 0; i < 1000; ++i) throttle.log(spdlog::level::info, "event {}", i);
    ASSERT_EQ(log.lines().size(), 1u) << log.all();
    EXPECT_EQ(log.lines()[0], "[test] info: event 0");
    LogThrottle every_time(0s);
    every_time.log(spdlog::level::warn, "a");
    every_time.log(spdlog::level::warn, "b");
    EXPECT_EQ(log.lines().back(), "[test] warning: b");
}

TEST(LogThrottle, ALevelThatIsOffCountsNothing) {
    testing::LogCapture log;
    spdlog::default_logger()->set_level(spdlog::level::info);
    LogThrottle throttle(1h);
    for (int i = 0; i < 10; ++i) throttle.log(spdlog::level::debug, "quiet {}", i);
    EXPECT_TRUE(log.lines().empty());
    throttle.log(spdlog::level::info, "loud");
    ASSERT_EQ(log.lines().size(), 1u);
    EXPECT_EQ(log.lines()[0], "[test] info: loud");  // the debug lines were never candidates
}

}  // namespace
}  // namespace chatd::util
