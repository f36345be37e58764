// Thread ownership: the bound thread passes, any other aborts; an unbound
// owner (before the thread starts, after it ends) accepts every thread.
#include <gtest/gtest.h>

#include <thread>

#include "util/thread_owner.h"

namespace chatd::util {
namespace {

TEST(ThreadOwner, UnboundAcceptsEveryThread) {
    ThreadOwner owner;
    bool elsewhere = false;
    std::thread([&] { elsewhere = owner.isOwnedHere(); }).join();
    EXPECT_TRUE(elsewhere);
    EXPECT_TRUE(owner.isOwnedHere());
}

TEST(ThreadOwner, BoundAcceptsOnlyItsThread) {
    ThreadOwner owner;
    owner.bindToCurrentThread();
    bool elsewhere = true;
    std::thread([&] { elsewhere = owner.isOwnedHere(); }).join();
    EXPECT_FALSE(elsewhere);
    EXPECT_TRUE(owner.isOwnedHere());
    owner.assertOwned("here");  // does not abort
    owner.unbind();
    std::thread([&] { elsewhere = owner.isOwnedHere(); }).join();
    EXPECT_TRUE(elsewhere);
}

TEST(ThreadOwnerDeathTest, AnotherThreadAborts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    ThreadOwner owner;
    owner.bindToCurrentThread();
    EXPECT_DEATH(std::thread([&] { owner.assertOwned("Example::method"); }).join(),
                 "thread ownership violated: Example::method");
}

}  // namespace
}  // namespace chatd::util
