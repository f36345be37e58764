// The lock that serialises one plugin instance's hooks: a timed lock (the
// hub hooks wait a bounded time) built from std::mutex and a condition
// variable instead of std::timed_mutex, whose try_lock_for (glibc's
// pthread_mutex_clocklock) ThreadSanitizer does not see, so every unlock
// after it would be reported. Meets the standard's TimedLockable.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace chatd::plugin_host {

class InstanceLock {
public:
    // Waits as long as it takes.
    void lock() {
        std::unique_lock guard(mutex_);
        released_.wait(guard, [this] { return !held_; });
        held_ = true;
    }
    bool try_lock() {
        std::lock_guard guard(mutex_);
        if (held_) return false;
        held_ = true;
        return true;
    }
    template <typename Rep, typename Period>
    bool try_lock_for(const std::chrono::duration<Rep, Period>& timeout) {
        std::unique_lock guard(mutex_);
        if (!released_.wait_for(guard, timeout, [this] { return !held_; })) return false;
        held_ = true;
        return true;
    }
    template <typename Clock, typename Duration>
    bool try_lock_until(const std::chrono::time_point<Clock, Duration>& deadline) {
        std::unique_lock guard(mutex_);
        if (!released_.wait_until(guard, deadline, [this] { return !held_; })) return false;
        held_ = true;
        return true;
    }
    void unlock() {
        {
            std::lock_guard guard(mutex_);
            held_ = false;
        }
        released_.notify_one();
    }

private:
    std::mutex mutex_;
    std::condition_variable released_;
    bool held_ = false;
};

}  // namespace chatd::plugin_host
