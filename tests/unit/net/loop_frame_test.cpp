// LoopFrame: copies share one holder counted on the loop (the frame's
// shared_ptr is copied once, however many queues hold it), the last holder
// frees it, and moves, resets and self-assignment keep the count right.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "net/loop_frame.h"
#include "net/outbound_queue.h"

namespace chatd::net {
namespace {

TEST(LoopFrame, FanOutToManyQueuesCopiesTheSharedFrameOnce) {
    const SharedFrame frame = std::make_shared<const std::string>("hello");
    {
        const LoopFrame here(frame);
        std::vector<OutboundQueue> queues(1000);
        for (auto& queue : queues) queue.push(here);
        EXPECT_EQ(frame.use_count(), 2);  // `frame` and the one holder, not 1,001
        EXPECT_EQ(queues.back().bytes(), 5u);
    }
    EXPECT_EQ(frame.use_count(), 1);  // the last queue gone: the holder let go
}

TEST(LoopFrame, TheLastOfItsCopiesReleasesTheFrame) {
    const SharedFrame frame = std::make_shared<const std::string>("x");
    LoopFrame a(frame);
    LoopFrame b = a;
    LoopFrame c(std::move(b));
    EXPECT_FALSE(b);  // NOLINT(bugprone-use-after-move): a moved-from LoopFrame is empty
    a.reset();
    EXPECT_FALSE(a);
    EXPECT_EQ(frame.use_count(), 2);
    ASSERT_TRUE(c);
    EXPECT_EQ(*c, "x");
    EXPECT_EQ(c->size(), 1u);
    const LoopFrame& same = c;
    c = same;  // assigning a LoopFrame to itself keeps the frame
    EXPECT_EQ(frame.use_count(), 2);
    c = LoopFrame{};
    EXPECT_EQ(frame.use_count(), 1);
}

TEST(LoopFrame, AnEmptySharedFrameMakesAnEmptyLoopFrame) {
    const LoopFrame empty{SharedFrame{}};
    EXPECT_FALSE(empty);
    const LoopFrame copy = empty;
    EXPECT_FALSE(copy);
}

}  // namespace
}  // namespace chatd::net
