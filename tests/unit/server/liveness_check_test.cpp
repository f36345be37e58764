// LivenessCheck with workers whose tasks the test runs (or holds back): a
// worker is named once it has not run the previous check's task, gets no new
// task while it owes one, and is healthy again once it has run it.
#include "server/liveness_check.h"

#include <gtest/gtest.h>

#include <deque>
#include <thread>

namespace chatd::server {
namespace {

// A worker whose queued tasks run only when the test says so.
struct ManualWorker {
    std::deque<std::function<void()>> queued;
    LivenessCheck::Poster poster() {
        return [this](std::function<void()> task) { queued.push_back(std::move(task)); };
    }
    void runAll() {
        while (!queued.empty()) {
            auto task = std::move(queued.front());
            queued.pop_front();
            task();
        }
    }
};

using Names = std::vector<std::string>;

TEST(LivenessCheck, NamesOnlyTheWorkerThatDidNotRunThePreviousTask) {
    ManualWorker loop, shard;
    LivenessCheck check;
    check.add("io loop 0", loop.poster());
    check.add("hub shard 0", shard.poster());

    EXPECT_EQ(check.check(), Names{}) << "the first check has nothing to judge";
    loop.runAll();  // the shard is wedged: its task waits
    EXPECT_EQ(check.check(), Names{"hub shard 0"});
    EXPECT_EQ(shard.queued.size(), 1u) << "a silent worker gets no second task";
    loop.runAll();
    EXPECT_EQ(check.check(), Names{"hub shard 0"}) << "still wedged";

    shard.runAll();  // it recovers
    loop.runAll();
    EXPECT_EQ(check.check(), Names{});
    loop.runAll();
    shard.runAll();
    EXPECT_EQ(check.check(), Names{});
}

TEST(LivenessCheck, TasksRunOnAnotherThreadCount) {
    ManualWorker worker;
    LivenessCheck check;
    check.add("io loop 1", worker.poster());
    check.check();
    std::thread([&] { worker.runAll(); }).join();
    EXPECT_EQ(check.check(), Names{});
    EXPECT_EQ(check.check(), Names{"io loop 1"});
}

}  // namespace
}  // namespace chatd::server
