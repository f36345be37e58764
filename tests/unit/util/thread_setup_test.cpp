// util/thread_setup.h: thread names as the kernel shows them, and the
// background scheduling policy.
#include "util/thread_setup.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

namespace chatd::util {
namespace {

std::string kernelNameOf(pid_t tid) {
    std::ifstream comm("/proc/self/task/" + std::to_string(tid) + "/comm");
    std::string name;
    std::getline(comm, name);
    return name;
}

TEST(ThreadSetup, TheNameIsWhatTheKernelShowsCutTo15Bytes) {
    std::string short_name;
    std::string long_name;
    std::thread([&] {
        nameThisThread("chatd-hub-3");
        short_name = kernelNameOf(::gettid());
        nameThisThread("chatd-a-name-longer-than-fifteen");
        long_name = kernelNameOf(::gettid());
    }).join();
    EXPECT_EQ(short_name, "chatd-hub-3");
    EXPECT_EQ(long_name, "chatd-a-name-lo");
}

TEST(ThreadSetup, ABackgroundThreadRunsAsSchedBatchAndOthersDoNot) {
    const int policy_before = ::sched_getscheduler(0);
    std::string why = "not run";
    int policy = -1;
    std::thread([&] {
        why = runThisThreadInBackground();
        policy = ::sched_getscheduler(0);
    }).join();
    EXPECT_EQ(why, "");
    EXPECT_EQ(policy, SCHED_BATCH);
    EXPECT_EQ(::sched_getscheduler(0), policy_before);  // the calling thread is untouched
}

}  // namespace
}  // namespace chatd::util
