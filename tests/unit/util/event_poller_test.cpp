// The mechanics every loop shares and its failure policy: posted tasks run in
// order on the loop thread, one that throws is reported and the rest still
// run; a failing epoll_wait is reported as fatal and ends the wait.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "util/event_poller.h"
#include "util/loop_failure.h"

namespace chatd::util {
namespace {

TEST(EventPoller, PostedTasksWakeTheLoopAndRunInOrder) {
    EventPoller poller("test loop");
    std::vector<int> order;
    std::thread poster([&] {
        for (int i = 1; i <= 3; ++i) poller.post([&order, i] { order.push_back(i); });
    });
    poster.join();
    EXPECT_TRUE(poller.hasTasks());
    epoll_event events[4];
    const auto ready = poller.wait(events, 5000);  // woken by the posts, not by the timeout
    ASSERT_TRUE(ready.has_value());
    EXPECT_EQ(*ready, 0u);  // the wake-up itself is never returned
    EXPECT_EQ(poller.runTasks(), 3u);
    EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
    EXPECT_FALSE(poller.hasTasks());
}

TEST(EventPoller, ATaskThatThrowsIsCountedAndTheNextOnesRun) {
    EventPoller poller("test loop");
    const std::uint64_t failures_before = loopTaskFailures();
    std::vector<int> ran;
    poller.post([&] { ran.push_back(1); });
    poller.post([] { throw std::runtime_error("boom"); });
    poller.post([] { throw 42; });  // not even an std::exception
    poller.post([&] { ran.push_back(2); });
    EXPECT_EQ(poller.runTasks(), 4u);
    EXPECT_EQ(ran, (std::vector<int>{1, 2}));
    EXPECT_EQ(loopTaskFailures() - failures_before, 2u);
}

TEST(EventPoller, AFailingEpollWaitIsReportedAsFatal) {
    EventPoller poller("test loop");
    std::string reported_loop, reported_what;
    const FatalLoopHandler previous = setFatalLoopHandler([&](std::string_view loop, std::string_view what) {
        reported_loop = loop;
        reported_what = what;
    });
    // epoll_wait refuses maxevents 0 (EINVAL): a real failure of the call.
    const auto ready = poller.wait({}, 0);
    setFatalLoopHandler(previous);
    EXPECT_FALSE(ready.has_value());
    EXPECT_TRUE(loopFailedFatally());
    EXPECT_EQ(reported_loop, "test loop");
    EXPECT_NE(reported_what.find("epoll_wait"), std::string::npos) << reported_what;
}

}  // namespace
}  // namespace chatd::util
