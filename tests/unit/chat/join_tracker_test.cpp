// JoinTracker: joins sent back to back, answered in any order. The last join
// sent decides the room; every room the shard was made to hold the session
// in is given back exactly when no join still names it.
#include <gtest/gtest.h>

#include <algorithm>

#include "chat/join_tracker.h"

namespace chatd::chat {
namespace {

using Rooms = std::vector<std::string>;

// A session that is in `room` (its first join answered).
JoinTracker inRoom(const std::string& room) {
    JoinTracker tracker;
    const auto outcome = tracker.joined(room, tracker.sent(room));
    EXPECT_TRUE(outcome.won);
    EXPECT_TRUE(outcome.entered);
    return tracker;
}

TEST(JoinTracker, FirstJoinEntersAndTargetFollowsThePendingJoin) {
    JoinTracker tracker;
    EXPECT_EQ(tracker.target(), "");
    const auto serial = tracker.sent("a");
    EXPECT_EQ(tracker.target(), "a");
    EXPECT_EQ(tracker.current(), "");
    EXPECT_TRUE(tracker.lastPending());
    const auto outcome = tracker.joined("a", serial);
    EXPECT_TRUE(outcome.won);
    EXPECT_TRUE(outcome.entered);
    EXPECT_EQ(outcome.left, "");
    EXPECT_TRUE(outcome.leave.empty());
    EXPECT_EQ(tracker.current(), "a");
    EXPECT_FALSE(tracker.lastPending());
}

TEST(JoinTracker, SwitchLeavesThePreviousRoom) {
    JoinTracker tracker = inRoom("a");
    const auto outcome = tracker.joined("b", tracker.sent("b"));
    EXPECT_TRUE(outcome.won);
    EXPECT_EQ(outcome.left, "a");
    EXPECT_EQ(outcome.leave, Rooms{"a"});
    EXPECT_EQ(tracker.current(), "b");
}

// In A, `join B` then `join A`; B is answered first.
TEST(JoinTracker, AwayAndBackKeepsTheRoomAndGivesTheOtherBack) {
    JoinTracker tracker = inRoom("a");
    const auto to_b = tracker.sent("b");
    const auto back = tracker.sent("a");
    EXPECT_EQ(tracker.target(), "a");
    const auto stale = tracker.joined("b", to_b);
    EXPECT_FALSE(stale.won);
    EXPECT_EQ(stale.left, "");
    EXPECT_EQ(stale.leave, Rooms{"b"});  // never leave a: the last join names it
    EXPECT_EQ(tracker.current(), "a");
    const auto last = tracker.joined("a", back);
    EXPECT_TRUE(last.won);
    EXPECT_FALSE(last.entered);
    EXPECT_TRUE(last.leave.empty());
    EXPECT_EQ(tracker.current(), "a");
}

// Several shards: the last join is answered before the earlier one.
TEST(JoinTracker, AnswersOutOfOrderStillLetTheLastJoinWin) {
    JoinTracker tracker = inRoom("a");
    const auto to_b = tracker.sent("b");
    const auto back = tracker.sent("a");
    EXPECT_TRUE(tracker.joined("a", back).won);
    const auto stale = tracker.joined("b", to_b);
    EXPECT_FALSE(stale.won);
    EXPECT_EQ(stale.leave, Rooms{"b"});
    EXPECT_EQ(tracker.current(), "a");
}

TEST(JoinTracker, RoomNamedByALaterJoinIsKeptUntilThatJoinIsAnswered) {
    JoinTracker tracker = inRoom("a");
    const auto b1 = tracker.sent("b");
    const auto c = tracker.sent("c");
    const auto b2 = tracker.sent("b");
    EXPECT_TRUE(tracker.joined("b", b1).leave.empty());  // b2 still names b
    EXPECT_EQ(tracker.joined("c", c).leave, Rooms{"c"});
    const auto last = tracker.joined("b", b2);
    EXPECT_TRUE(last.won);
    EXPECT_TRUE(last.entered) << "b was held, but its messages did not reach the session yet";
    EXPECT_EQ(last.left, "a");
    EXPECT_EQ(last.leave, Rooms{"a"});
    EXPECT_EQ(tracker.current(), "b");
}

TEST(JoinTracker, PreviousRoomNamedByAnEarlierJoinIsLeftWhenThatJoinIsAnswered) {
    JoinTracker tracker = inRoom("a");
    const auto again = tracker.sent("a");
    const auto to_b = tracker.sent("b");
    const auto outcome = tracker.joined("b", to_b);
    EXPECT_EQ(outcome.left, "a");
    EXPECT_TRUE(outcome.leave.empty()) << "the earlier join into a is still unanswered";
    EXPECT_EQ(tracker.joined("a", again).leave, Rooms{"a"});
}

TEST(JoinTracker, FailedLastJoinStaysWhereItWasAndGivesBackTheRest) {
    JoinTracker tracker = inRoom("a");
    const auto b1 = tracker.sent("b");
    const auto b2 = tracker.sent("b");  // e.g. another nick, taken
    EXPECT_TRUE(tracker.joined("b", b1).leave.empty());
    EXPECT_EQ(tracker.failed(b2), Rooms{"b"});
    EXPECT_EQ(tracker.current(), "a");
    EXPECT_EQ(tracker.target(), "a");
    EXPECT_TRUE(tracker.failed(12345).empty());  // an unknown serial changes nothing
}

TEST(JoinTracker, FailedEarlierJoinChangesNothing) {
    JoinTracker tracker = inRoom("a");
    const auto b = tracker.sent("b");
    const auto c = tracker.sent("c");
    EXPECT_TRUE(tracker.failed(b).empty());
    EXPECT_EQ(tracker.target(), "c");
    EXPECT_TRUE(tracker.joined("c", c).won);
    EXPECT_EQ(tracker.current(), "c");
}

TEST(JoinTracker, ClosingNamesEveryHeldRoom) {
    JoinTracker tracker = inRoom("a");
    const auto b = tracker.sent("b");
    tracker.sent("c");
    tracker.sent("b");
    tracker.joined("b", b);  // held: a later join names it
    Rooms rooms = tracker.closing();
    std::sort(rooms.begin(), rooms.end());
    EXPECT_EQ(rooms, (Rooms{"a", "b"}));
    EXPECT_EQ(tracker.current(), "");
    EXPECT_EQ(tracker.target(), "");
    EXPECT_TRUE(tracker.closing().empty());
}

// A kick: the current room is none now and a new join of it enters again;
// a kick from a room the session was leaving anyway changes nothing.
TEST(JoinTracker, AKickFromTheCurrentRoomLeavesItInNone) {
    JoinTracker tracker = inRoom("a");
    EXPECT_FALSE(tracker.kicked("b"));
    EXPECT_EQ(tracker.current(), "a");
    EXPECT_TRUE(tracker.kicked("a"));
    EXPECT_EQ(tracker.current(), "");
    EXPECT_EQ(tracker.target(), "");
    EXPECT_FALSE(tracker.kicked("a"));
    const auto again = tracker.sent("a");
    const auto outcome = tracker.joined("a", again);
    EXPECT_TRUE(outcome.won);
    EXPECT_TRUE(outcome.entered);
    EXPECT_EQ(outcome.left, "");
    EXPECT_TRUE(tracker.closing() == Rooms{"a"});
}

}  // namespace
}  // namespace chatd::chat
