// LogThrottle: the one way the daemon logs an event that a client can repeat
// at will (a refused upgrade, an ignored frame, a rejected message, a limit
// hit, a failing plugin hook): at most one line per interval for that kind of
// event, the next line let through ending with how many were left out in
// between. Thread-safe and lock-free: any HTTP thread, IO loop or hub shard may
// log through one instance.
#pragma once

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>

namespace chatd::util {

// What ends a line let through after `left_out` were left out: "" for none,
// else " (N more since the last line)".
std::string leftOutNote(std::uint64_t left_out);

class LogThrottle {
public:
    using Clock = std::chrono::steady_clock;

    explicit LogThrottle(Clock::duration interval = std::chrono::seconds(1)) : interval_(interval) {}

    // nullopt: leave this line out (it is counted). Otherwise the line is
    // logged, and this many were left out since the previous one.
    std::optional<std::uint64_t> pass(Clock::time_point now);
    // The same at the time of coarseNow().
    std::optional<std::uint64_t> pass() { return pass(coarseNow()); }

    // Clock::now() to a few milliseconds: a memory read rather than a clock
    // read, for paths a client can repeat millions of times a second.
    static Clock::time_point coarseNow();

    // Formats and logs the line through `logger` unless the throttle leaves it
    // out (or `level` is off, which costs nothing and counts nothing).
    template <typename... Args>
    void log(spdlog::logger& logger, spdlog::level::level_enum level, fmt::format_string<Args...> format,
             Args&&... args) {
        if (!logger.should_log(level)) return;
        const auto left_out = pass(coarseNow());
        if (!left_out) return;
        logger.log(level, "{}{}", fmt::format(format, std::forward<Args>(args)...), leftOutNote(*left_out));
    }
    // The same through the default logger.
    template <typename... Args>
    void log(spdlog::level::level_enum level, fmt::format_string<Args...> format, Args&&... args) {
        log(*spdlog::default_logger_raw(), level, format, std::forward<Args>(args)...);
    }

private:
    Clock::duration interval_;
    std::atomic<Clock::rep> next_line_{std::numeric_limits<Clock::rep>::min()};  // ticks of Clock
    std::atomic<std::uint64_t> left_out_{0};
};

}  // namespace chatd::util
