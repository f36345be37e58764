// An IO loop under the failure policy (util/loop_failure.h): a posted task
// that throws is reported and counted, and the loop goes on. In checked
// builds (CHATD_CHECK_THREADS) its loop-thread-only calls abort elsewhere.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <stdexcept>

#include "net/io_loop.h"
#include "util/loop_failure.h"

namespace chatd::net {
namespace {

using namespace std::chrono_literals;

// Runs `task` on the loop and waits for it (generous timeout: a loaded machine).
template <typename Task>
bool runOnLoop(IoLoop& loop, Task task) {
    std::promise<void> done;
    loop.post([&] {
        task();
        done.set_value();
    });
    return done.get_future().wait_for(30s) == std::future_status::ready;
}

TEST(IoLoop, APostedTaskThatThrowsIsCountedAndTheLoopGoesOn) {
    IoLoop loop(0, LoopSettings{});
    loop.start();
    const std::uint64_t failures_before = util::loopTaskFailures();
    loop.post([] { throw std::runtime_error("a bug in one task"); });
    bool later_task_ran = false;
    EXPECT_TRUE(runOnLoop(loop, [&] { later_task_ran = true; }));
    EXPECT_TRUE(later_task_ran);
    EXPECT_EQ(util::loopTaskFailures() - failures_before, 1u);
    // Still serving: a task posted after that runs too.
    EXPECT_TRUE(runOnLoop(loop, [] {}));
    loop.shutdown(util::steadyNow());
    loop.join();
}

#ifdef CHATD_CHECK_THREADS
TEST(IoLoopDeathTest, LoopThreadOnlyCallsAbortOnAnotherThread) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            IoLoop loop(0, LoopSettings{});
            loop.start();
            runOnLoop(loop, [] {});  // the loop thread has bound itself
            loop.find(1);            // but this is the test's thread
        },
        "thread ownership violated: find");
}
#endif

}  // namespace
}  // namespace chatd::net
