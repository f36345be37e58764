// The one failure policy of every loop thread in the daemon: the IO loops,
// the hub shards and the bus thread. Exceptions never leave a loop thread
// (an exception escaping a std::thread would call std::terminate).
//
// * A task fails: a posted task, a hub command, an event or timer callback
//   throws. That is a bug in that piece of work, not in the loop: it is
//   logged (error: the loop's name and what()), counted (loopTaskFailures(),
//   the metric chatd_loop_task_failures_total) and the loop goes on with
//   the next one. runGuarded() applies this.
// * A loop fails: it cannot wait for events any more (epoll_wait fails with
//   anything but EINTR). Nothing it owns can make progress, so it is fatal:
//   reportFatalLoopFailure() logs it (critical), records it and calls the
//   fatal handler; the loop then returns. The application's handler asks the
//   main thread to stop (SIGTERM to itself), the server stops through its
//   normal path (1001 for everyone) and the process exits with
//   kExitLoopFailed, so that systemd (Restart=on-failure) starts it again.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <string_view>

namespace chatd::util {

// EX_SOFTWARE: the exit status after a fatal loop failure.
inline constexpr int kExitLoopFailed = 70;

// Logs and counts one failed task of `loop` (the policy's first case).
void reportTaskFailure(std::string_view loop, std::string_view what) noexcept;

// Runs `work`; an exception it throws is reported as a failed task of `loop`.
// Returns false when it threw.
template <typename Work>
bool runGuarded(std::string_view loop, Work&& work) noexcept {
    try {
        work();
        return true;
    } catch (const std::exception& error) {
        reportTaskFailure(loop, error.what());
    } catch (...) {
        reportTaskFailure(loop, "unknown exception");
    }
    return false;
}

// Tasks that failed in this process so far (any loop).
std::uint64_t loopTaskFailures() noexcept;

// Called (on the failing loop's thread) after a fatal loop failure is logged.
using FatalLoopHandler = std::function<void(std::string_view loop, std::string_view what)>;
// Installs the handler (the application's: stop the process); returns the previous one.
FatalLoopHandler setFatalLoopHandler(FatalLoopHandler handler);

// The policy's second case: logs, records and calls the fatal handler.
void reportFatalLoopFailure(std::string_view loop, std::string_view what) noexcept;
// True once any loop failed fatally in this process.
bool loopFailedFatally() noexcept;

}  // namespace chatd::util
