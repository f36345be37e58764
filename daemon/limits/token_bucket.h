// TokenBucket: the classic rate limiter as a small value type. It refills at
// `rate` tokens per second up to `burst`; taking a token fails when it is
// empty. The rate and burst are passed on each call so that a reload can
// change them without rebuilding every bucket. Not thread-safe (callers lock).
#pragma once

#include <algorithm>
#include <chrono>

namespace chatd::limits {

class TokenBucket {
public:
    using Clock = std::chrono::steady_clock;

    TokenBucket(double burst, Clock::time_point now) : tokens_(burst), last_(now) {}

    // Refills for the time since the last call, then takes one token if there is one.
    bool tryTake(double rate, double burst, Clock::time_point now) {
        refill(rate, burst, now);
        if (tokens_ < 1.0) return false;
        tokens_ -= 1.0;
        return true;
    }

    // Refills, then takes one token whether or not there is one: the bucket
    // may go into debt (down to -burst), repaid before the next token is
    // available. For work already done (a message already read), paced
    // afterwards with timeUntilToken().
    void take(double rate, double burst, Clock::time_point now) {
        refill(rate, burst, now);
        tokens_ = std::max(-burst, tokens_ - 1.0);
    }

    // True when the bucket would be full at `now`: forgetting it loses nothing.
    bool isFull(double rate, double burst, Clock::time_point now) const { return tokensAt(rate, burst, now) >= burst; }

    // How long until one token is available at `rate` (zero when one is).
    std::chrono::milliseconds timeUntilToken(double rate, double burst, Clock::time_point now) const {
        const double missing = 1.0 - tokensAt(rate, burst, now);
        if (missing <= 0.0) return std::chrono::milliseconds(0);
        if (rate <= 0.0) return std::chrono::milliseconds::max();
        return std::chrono::milliseconds(static_cast<long long>(missing / rate * 1000.0) + 1);
    }

    double tokensAt(double rate, double burst, Clock::time_point now) const {
        const double elapsed = std::chrono::duration<double>(now - last_).count();
        return std::min(burst, tokens_ + std::max(0.0, elapsed) * rate);
    }

private:
    void refill(double rate, double burst, Clock::time_point now) {
        tokens_ = tokensAt(rate, burst, now);
        if (now > last_) last_ = now;
    }

    double tokens_;
    Clock::time_point last_;
};

}  // namespace chatd::limits
