// A room's history counts what it holds (the frames plus bookkeeping) in its
// own total and in its shard's, and gives every byte back; the shard's trim
// empties the rooms nobody is in first, then takes the oldest messages.
#include <gtest/gtest.h>

#include <memory>

#include "chat/history_trim.h"
#include "chat/room.h"
#include "ws/opcode.h"

namespace chatd::chat {
namespace {

constexpr HistoryLimits kRoomy{1000, 1 << 30};

net::SharedFrame frameOf(std::size_t bytes) { return net::makeFrame(ws::Opcode::Text, std::string(bytes, 'x')); }

void post(Room& room, std::size_t bytes) { room.appendHistory(room.nextSeq(), frameOf(bytes), kRoomy); }

TEST(RoomHistory, ACostIsTheFrameBufferPlusTheBookkeeping) {
    const net::SharedFrame frame = frameOf(24'576);
    EXPECT_GE(heldCost(frame), frame->capacity() + 100);
    EXPECT_LE(heldCost(frame), frame->capacity() + 200);
    EXPECT_GE(heldCost(frame), 24'576u + 4);  // the header is counted too
}

TEST(RoomHistory, TheShardTotalFollowsAppendsDropsClearsAndDestruction) {
    std::atomic<std::size_t> total{0};
    auto room = std::make_unique<Room>("r", "e1", 1, Ordering::Local, &total);
    auto other = std::make_unique<Room>("s", "e1", 1, Ordering::Local, &total);
    post(*room, 100);
    post(*room, 5000);
    post(*other, 300);
    EXPECT_EQ(total.load(), room->history().bytes() + other->history().bytes());
    EXPECT_EQ(room->history().bytes(), heldCost(frameOf(100)) + heldCost(frameOf(5000)));
    room->history().dropOldest();
    EXPECT_EQ(room->history().bytes(), heldCost(frameOf(5000)));
    EXPECT_EQ(total.load(), room->history().bytes() + other->history().bytes());
    room->clearHistory();
    EXPECT_EQ(total.load(), other->history().bytes());
    post(*room, 10);
    room->startLocalEpoch("e2");
    EXPECT_EQ(total.load(), other->history().bytes());
    other.reset();  // an evicted room gives its bytes back
    EXPECT_EQ(total.load(), 0u);
    // The count bound gives back what it drops as well.
    for (int i = 0; i < 10; ++i) room->appendHistory(room->nextSeq(), frameOf(50), HistoryLimits{2, 1 << 30});
    EXPECT_EQ(total.load(), 2 * heldCost(frameOf(50)));
}

TEST(HistoryTrim, EmptyRoomsGoFirstThenTheOldestMessages) {
    std::atomic<std::size_t> total{0};
    Room live_old("live-old", "e", 1, Ordering::Local, &total);
    Room empty("empty", "e", 1, Ordering::Local, &total);
    Room live_new("live-new", "e", 1, Ordering::Local, &total);
    live_old.addMember({makeSessionId(1, 0), Mode::Json}, "a");
    live_new.addMember({makeSessionId(2, 0), Mode::Json}, "b");
    for (int i = 0; i < 3; ++i) post(live_old, 1000);  // the oldest messages, but in a room with members
    for (int i = 0; i < 3; ++i) post(empty, 1000);
    for (int i = 0; i < 3; ++i) post(live_new, 1000);
    const std::size_t cost = heldCost(frameOf(1000));
    const std::vector<Room*> rooms{&live_old, &empty, &live_new};

    EXPECT_EQ(trimHistories(rooms, 2 * cost), 2 * cost);  // from the empty room, though newer
    EXPECT_EQ(empty.history().size(), 1u);
    EXPECT_EQ(empty.history().oldest().seq, 3u);
    EXPECT_EQ(live_old.history().size(), 3u);

    EXPECT_EQ(trimHistories(rooms, 2 * cost), 2 * cost);  // the empty room's last, then the oldest live one
    EXPECT_TRUE(empty.history().empty());
    EXPECT_EQ(live_old.history().size(), 2u);
    EXPECT_EQ(live_old.history().oldest().seq, 2u);
    EXPECT_EQ(live_new.history().size(), 3u);

    EXPECT_EQ(trimHistories(rooms, 1), cost);  // at least the excess, one message at a time
    EXPECT_EQ(total.load(), 4 * cost);
    EXPECT_EQ(trimHistories(rooms, 100 * cost), 4 * cost);  // no more than there is
    EXPECT_EQ(total.load(), 0u);
    // What was cut is not recovered; being up to date still is.
    EXPECT_FALSE(live_new.historyAfter(protocol::Since{"e", 2}).recovered);
    EXPECT_TRUE(live_new.historyAfter(protocol::Since{"e", 3}).recovered);
}

TEST(HistoryTrim, TheTargetLeavesRoomBelowTheShare) {
    EXPECT_EQ(historyTrimTarget(800), 700u);
    EXPECT_EQ(historyTrimTarget(0), 0u);
}

}  // namespace
}  // namespace chatd::chat
