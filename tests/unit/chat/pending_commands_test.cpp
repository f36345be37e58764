// PendingCommands (backpressure): tickets count messages in flight, a pause
// is answered by exactly one resume when the count is down to its mark, and
// a pause asked for when the count already is there is refused.
#include "chat/pending_commands.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace chatd::chat {
namespace {

TEST(PendingCommands, TicketsCountAndGiveBack) {
    auto pending = std::make_shared<PendingCommands>(nullptr);
    {
        PendingTicket a = pending->take();
        PendingTicket b = pending->take();
        EXPECT_EQ(pending->count(), 2u);
        PendingTicket moved = std::move(a);
        EXPECT_EQ(pending->count(), 2u);  // a move is still one ticket
        b.reset();
        b.reset();  // idempotent
        EXPECT_EQ(pending->count(), 1u);
    }
    EXPECT_EQ(pending->count(), 0u);
}

TEST(PendingCommands, ResumesOnceAtTheMark) {
    int resumes = 0;
    auto pending = std::make_shared<PendingCommands>([&] { ++resumes; });
    std::vector<PendingTicket> tickets;
    for (int i = 0; i < 8; ++i) tickets.push_back(pending->take());
    ASSERT_TRUE(pending->pauseUntil(4));
    EXPECT_TRUE(pending->paused());
    for (int i = 0; i < 3; ++i) tickets.pop_back();
    EXPECT_EQ(resumes, 0);  // 5 left: over the mark
    tickets.pop_back();
    EXPECT_EQ(resumes, 1);  // 4: at the mark
    EXPECT_FALSE(pending->paused());
    tickets.clear();
    EXPECT_EQ(resumes, 1);  // not again without a new pause
}

TEST(PendingCommands, PauseIsRefusedWhenTheCountIsAlreadyDown) {
    int resumes = 0;
    auto pending = std::make_shared<PendingCommands>([&] { ++resumes; });
    PendingTicket one = pending->take();
    EXPECT_FALSE(pending->pauseUntil(1));
    EXPECT_FALSE(pending->paused());
    one.reset();
    EXPECT_EQ(resumes, 0);
}

// A pause raced by releases on another thread is always either refused or
// resumed: never left hanging (the session would never be read again).
TEST(PendingCommands, APauseRacingTheReleasesIsNeverLost) {
    for (int round = 0; round < 2000; ++round) {
        std::atomic<int> resumes{0};
        auto pending = std::make_shared<PendingCommands>([&] { resumes.fetch_add(1); });
        std::vector<PendingTicket> tickets;
        for (int i = 0; i < 4; ++i) tickets.push_back(pending->take());
        std::thread shard([&] { tickets.clear(); });
        const bool paused = pending->pauseUntil(0);
        shard.join();
        EXPECT_EQ(resumes.load(), paused ? 1 : 0) << "round " << round;
    }
}

}  // namespace
}  // namespace chatd::chat
