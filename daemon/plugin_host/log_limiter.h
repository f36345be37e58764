// Rate limit for repeated log lines (a plugin failing on every message must
// not flood the log): at most one line per interval, and the next allowed line
// says how many were suppressed in between. Not thread-safe: callers hold the
// instance's lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace chatd::plugin_host {

class LogLimiter {
public:
    using Clock = std::chrono::steady_clock;

    explicit LogLimiter(Clock::duration interval = std::chrono::seconds(1)) : interval_(interval) {}

    // nullopt: suppress this line. Otherwise: log it, noting that many lines
    // were suppressed since the last one.
    std::optional<std::uint64_t> allow(Clock::time_point now) {
        if (logged_once_ && now - last_ < interval_) {
            ++suppressed_;
            return std::nullopt;
        }
        logged_once_ = true;
        last_ = now;
        const std::uint64_t suppressed = suppressed_;
        suppressed_ = 0;
        return suppressed;
    }

private:
    Clock::duration interval_;
    Clock::time_point last_{};
    bool logged_once_ = false;
    std::uint64_t suppressed_ = 0;
};

}  // namespace chatd::plugin_host
