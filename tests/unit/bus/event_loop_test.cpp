// The bus thread's loop: posted tasks in order, timers in time order and
// cancellable, descriptor events, and handlers that remove watches.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <stdexcept>
#include <thread>

#include "bus/event_loop.h"
#include "util/loop_failure.h"
#include "util/unique_fd.h"

namespace chatd::bus {
namespace {

using namespace std::chrono_literals;

// Runs the loop on its own thread for the test's lifetime.
struct RunningLoop {
    EventLoop loop;
    std::thread thread{[this] { loop.run(); }};
    ~RunningLoop() {
        loop.stop();
        thread.join();
    }
};

TEST(EventLoop, PostedTasksRunInOrderOnTheLoopThread) {
    std::vector<int> seen;
    std::thread::id loop_thread;
    {
        RunningLoop running;
        for (int i = 0; i < 100; ++i)
            running.loop.post([&, i] {
                seen.push_back(i);
                loop_thread = std::this_thread::get_id();
            });
    }  // stop() is posted after them
    ASSERT_EQ(seen.size(), 100u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(seen[i], i);
    EXPECT_NE(loop_thread, std::this_thread::get_id());
}

TEST(EventLoop, TimersFireInDeadlineOrderAndCancelledOnesNever) {
    std::vector<int> fired;
    std::mutex mutex;
    std::condition_variable done;
    RunningLoop running;
    running.loop.post([&] {
        running.loop.after(30ms, [&] { fired.push_back(3); });
        running.loop.after(1ms, [&] { fired.push_back(1); });
        const auto cancelled = running.loop.after(10ms, [&] { fired.push_back(99); });
        running.loop.after(20ms, [&] { fired.push_back(2); });
        running.loop.cancel(cancelled);
        running.loop.after(60ms, [&] {
            std::lock_guard lock(mutex);
            fired.push_back(4);
            done.notify_all();
        });
    });
    std::unique_lock lock(mutex);
    ASSERT_TRUE(done.wait_for(lock, 5s, [&] { return fired.size() == 4; }));
    EXPECT_EQ(fired, (std::vector<int>{1, 2, 3, 4}));
}

TEST(EventLoop, WatchReportsReadableAndWritable) {
    int pair[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pair), 0);
    util::UniqueFd ours(pair[0]), theirs(pair[1]);
    std::mutex mutex;
    std::condition_variable changed;
    bool readable = false, writable = false;
    RunningLoop running;
    running.loop.post([&] {
        const auto id = running.loop.watch(ours.get(), [&](bool r, bool w) {
            std::lock_guard lock(mutex);
            readable = readable || r;
            writable = writable || w;
            changed.notify_all();
        });
        running.loop.setInterest(id, true, true);
    });
    {
        std::unique_lock lock(mutex);
        ASSERT_TRUE(changed.wait_for(lock, 5s, [&] { return writable; }));
        EXPECT_FALSE(readable);
    }
    ASSERT_EQ(::write(theirs.get(), "x", 1), 1);
    std::unique_lock lock(mutex);
    EXPECT_TRUE(changed.wait_for(lock, 5s, [&] { return readable; }));
}

TEST(EventLoop, AHandlerMayRemoveAnotherWatchOfTheSameRound) {
    int a[2], b[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, a), 0);
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, b), 0);
    util::UniqueFd a0(a[0]), a1(a[1]), b0(b[0]), b1(b[1]);
    // Both readable before the loop looks: one round reports both.
    ASSERT_EQ(::write(a1.get(), "x", 1), 1);
    ASSERT_EQ(::write(b1.get(), "x", 1), 1);
    std::atomic<int> calls{0};
    std::promise<void> finished;
    RunningLoop running;
    running.loop.post([&] {
        auto first = std::make_shared<EventLoop::WatchId>(0);
        auto second = std::make_shared<EventLoop::WatchId>(0);
        auto handler = [&, first, second](bool, bool) {
            ++calls;
            running.loop.unwatch(*first);
            running.loop.unwatch(*second);
        };
        *first = running.loop.watch(a0.get(), handler);
        *second = running.loop.watch(b0.get(), handler);
        running.loop.setInterest(*first, true, false);
        running.loop.setInterest(*second, true, false);
        // Later rounds would report the other one again if it were still watched.
        running.loop.after(100ms, [&] { finished.set_value(); });
    });
    ASSERT_EQ(finished.get_future().wait_for(5s), std::future_status::ready);
    EXPECT_EQ(calls.load(), 1);
}

TEST(EventLoop, StopFromAnotherThreadEndsRun) {
    EventLoop loop;
    std::thread thread([&] { loop.run(); });
    loop.stop();
    thread.join();  // would hang if stop() did not wake the loop
    SUCCEED();
}

// The failure policy (util/loop_failure.h): a task, timer or handler that
// throws is reported and counted; the bus thread goes on and stops normally.
TEST(EventLoop, WorkThatThrowsIsCountedAndTheLoopGoesOn) {
    const std::uint64_t failures_before = util::loopTaskFailures();
    std::promise<void> after_failures;
    {
        RunningLoop running;
        running.loop.post([] { throw std::runtime_error("a bug in a task"); });
        running.loop.post([&] {
            running.loop.after(1ms, [] { throw std::runtime_error("a bug in a timer"); });
            running.loop.after(20ms, [&] { after_failures.set_value(); });
        });
        ASSERT_EQ(after_failures.get_future().wait_for(30s), std::future_status::ready);
    }  // stop() and join(): run() returned normally
    EXPECT_EQ(util::loopTaskFailures() - failures_before, 2u);
}

#ifdef CHATD_CHECK_THREADS
TEST(EventLoopDeathTest, LoopThreadOnlyCallsAbortOnAnotherThreadWhileItRuns) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            RunningLoop running;
            std::promise<void> started;
            running.loop.post([&] { started.set_value(); });
            started.get_future().wait();
            running.loop.after(1ms, [] {});  // the test's thread, not the bus thread
        },
        "thread ownership violated: after");
}
#endif

}  // namespace
}  // namespace chatd::bus
