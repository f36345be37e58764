#include "util/loop_failure.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>

namespace chatd::util {

namespace {
std::atomic<std::uint64_t> task_failures{0};
std::atomic<bool> failed_fatally{false};

std::mutex& handlerMutex() {
    static std::mutex mutex;
    return mutex;
}

FatalLoopHandler& fatalHandler() {
    static FatalLoopHandler handler;
    return handler;
}
}  // namespace

void reportTaskFailure(std::string_view loop, std::string_view what) noexcept {
    task_failures.fetch_add(1, std::memory_order_relaxed);
    try {
        spdlog::error("{}: task failed: {}", loop, what);
    } catch (...) {  // logging must not throw out of the guard
    }
}

std::uint64_t loopTaskFailures() noexcept { return task_failures.load(std::memory_order_relaxed); }

FatalLoopHandler setFatalLoopHandler(FatalLoopHandler handler) {
    std::lock_guard lock(handlerMutex());
    std::swap(fatalHandler(), handler);
    return handler;
}

void reportFatalLoopFailure(std::string_view loop, std::string_view what) noexcept {
    failed_fatally.store(true, std::memory_order_relaxed);
    try {
        spdlog::critical("{}: loop failed, stopping the daemon: {}", loop, what);
        FatalLoopHandler handler;
        {
            std::lock_guard lock(handlerMutex());
            handler = fatalHandler();
        }
        if (handler) handler(loop, what);
    } catch (...) {  // the loop returns either way
    }
}

bool loopFailedFatally() noexcept { return failed_fatally.load(std::memory_order_relaxed); }

}  // namespace chatd::util
