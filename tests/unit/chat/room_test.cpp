// Room state: membership and nick ownership, the history ring and what a
// joiner with or without `since` is sent.
#include <gtest/gtest.h>

#include "chat/room.h"
#include "ws/opcode.h"

namespace chatd::chat {
namespace {

constexpr std::size_t kCapacity = 3;
constexpr HistoryLimits kThreeMessages{kCapacity, 1 << 20};

void post(Room& room, const std::string& text, const HistoryLimits& limits = kThreeMessages) {
    const std::uint64_t seq = room.nextSeq();
    room.appendHistory(seq, net::makeFrame(ws::Opcode::Text, text), limits);
}

std::vector<std::string> texts(const HistorySlice& slice) {
    return {slice.messages_json.begin(), slice.messages_json.end()};
}

TEST(Room, NicksAreUniqueCaseInsensitivelyAndFollowRenames) {
    Room room("r", "e1", 2);
    EXPECT_TRUE(room.addMember({makeSessionId(1, 0), Mode::Json}, "Alice"));
    EXPECT_FALSE(room.addMember({makeSessionId(2, 1), Mode::Json}, "alice"));
    EXPECT_TRUE(room.addMember({makeSessionId(2, 1), Mode::Raw}, "bob"));
    EXPECT_EQ(room.membersPerLoop(), (std::vector<std::uint32_t>{1, 1}));
    EXPECT_EQ(room.rawMemberCount(), 1u);
    EXPECT_FALSE(room.renameMember(makeSessionId(2, 1), "ALICE"));
    EXPECT_TRUE(room.renameMember(makeSessionId(2, 1), "robert"));
    EXPECT_FALSE(room.nickOwner("bob"));
    EXPECT_EQ(room.nickOwner("ROBERT"), makeSessionId(2, 1));
    EXPECT_EQ(room.removeMember(makeSessionId(2, 1)), "robert");
    EXPECT_FALSE(room.removeMember(makeSessionId(2, 1)));
    EXPECT_EQ(room.rawMemberCount(), 0u);
    EXPECT_EQ(room.membersPerLoop(), (std::vector<std::uint32_t>{1, 0}));
}

TEST(Room, HistoryKeepsTheMostRecentUpToCapacity) {
    Room room("r", "e1", 1);
    for (const char* text : {"a", "b", "c", "d"}) post(room, text);
    const HistorySlice slice = room.historyAfter(std::nullopt);
    EXPECT_FALSE(slice.recovered);
    EXPECT_EQ(texts(slice), (std::vector<std::string>{"b", "c", "d"}));
}

TEST(Room, SinceWithinTheHistoryRecoversExactlyTheMissedOnes) {
    Room room("r", "e1", 1);
    for (const char* text : {"a", "b", "c", "d"}) post(room, text);  // seq 1..4, held 2..4
    auto slice = room.historyAfter(protocol::Since{"e1", 2});
    EXPECT_TRUE(slice.recovered);
    EXPECT_EQ(texts(slice), (std::vector<std::string>{"c", "d"}));
    slice = room.historyAfter(protocol::Since{"e1", 1});  // oldest held is 2: nothing lost
    EXPECT_TRUE(slice.recovered);
    EXPECT_EQ(texts(slice).size(), 3u);
    slice = room.historyAfter(protocol::Since{"e1", 4});  // up to date
    EXPECT_TRUE(slice.recovered);
    EXPECT_TRUE(slice.messages_json.empty());
}

TEST(Room, SinceTooOldFromTheFutureOrAnotherEpochIsNotRecovered) {
    Room room("r", "e1", 1);
    for (const char* text : {"a", "b", "c", "d", "e"}) post(room, text);  // held 3..5
    EXPECT_FALSE(room.historyAfter(protocol::Since{"e1", 1}).recovered);  // 2 is gone
    EXPECT_FALSE(room.historyAfter(protocol::Since{"e1", 9}).recovered);  // beyond seq
    EXPECT_FALSE(room.historyAfter(protocol::Since{"e0", 4}).recovered);  // other epoch
    EXPECT_EQ(texts(room.historyAfter(protocol::Since{"e0", 4})).size(), 3u);
}

TEST(Room, ZeroCapacityHoldsNothingButStillCounts) {
    Room room("r", "e1", 1);
    post(room, "a", HistoryLimits{0, 1 << 20});
    EXPECT_EQ(room.seq(), 1u);
    EXPECT_TRUE(room.historyAfter(std::nullopt).messages_json.empty());
    EXPECT_TRUE(room.historyAfter(protocol::Since{"e1", 1}).recovered);
    EXPECT_FALSE(room.historyAfter(protocol::Since{"e1", 0}).recovered);
}

// The byte bound cuts from the old end, like the count: a `since` older than
// the oldest message held is not recovered, a newer one still is.
TEST(Room, HistoryBytesBoundTheHeldMessagesOldestFirst) {
    const std::string text(1000, 'x');
    const std::size_t cost = heldCost(net::makeFrame(ws::Opcode::Text, text));
    const HistoryLimits limits{100, 3 * cost};
    Room room("r", "e1", 1);
    for (int i = 0; i < 5; ++i) post(room, text, limits);  // seq 1..5, held 3..5
    EXPECT_EQ(room.history().size(), 3u);
    EXPECT_EQ(room.history().bytes(), 3 * cost);
    EXPECT_EQ(room.history().oldest().seq, 3u);
    EXPECT_FALSE(room.historyAfter(protocol::Since{"e1", 1}).recovered);
    EXPECT_TRUE(room.historyAfter(protocol::Since{"e1", 2}).recovered);
    EXPECT_EQ(texts(room.historyAfter(protocol::Since{"e1", 2})).size(), 3u);
    const HistorySlice latest = room.historyAfter(std::nullopt);
    EXPECT_EQ(texts(latest).size(), 3u);
    EXPECT_FALSE(latest.recovered);
}

TEST(Room, AMessageBiggerThanTheBoundIsNotHeldButCounted) {
    Room room("r", "e1", 1);
    post(room, "small", HistoryLimits{100, 1000});
    post(room, std::string(2000, 'x'), HistoryLimits{100, 1000});
    EXPECT_EQ(room.seq(), 2u);
    EXPECT_TRUE(room.history().empty());
    EXPECT_EQ(room.history().bytes(), 0u);
    EXPECT_TRUE(room.historyAfter(protocol::Since{"e1", 2}).recovered);   // up to date
    EXPECT_FALSE(room.historyAfter(protocol::Since{"e1", 1}).recovered);  // missed the big one
}

// Session ids carry their IO loop (0 here: the rooms have one loop).
const std::uint64_t kAlice = makeSessionId(1, 0);
const std::uint64_t kBob = makeSessionId(2, 0);

TEST(Room, AReservedNickIsTakenForEveryoneButItsHolder) {
    Room room("r", "e1", 1, Ordering::Shared);
    ASSERT_TRUE(room.addMember(SessionRef{kAlice, Mode::Json}, "alice"));
    ASSERT_TRUE(room.addMember(SessionRef{kBob, Mode::Json}, "bob"));
    room.reserveNick("Carol", kAlice);  // alice's rename waits for Redis
    EXPECT_EQ(room.nickOwner("carol"), kAlice);
    EXPECT_FALSE(room.renameMember(kBob, "CAROL"));  // bob cannot take it meanwhile
    room.releaseNick("carol", kBob);                 // only the holder releases it
    EXPECT_EQ(room.nickOwner("carol"), kAlice);
    EXPECT_TRUE(room.renameMember(kAlice, "Carol"));  // the holder can
    room.releaseNick("carol", kAlice);
    EXPECT_EQ(room.nickOwner("carol"), kAlice);  // now as a member's nick
    EXPECT_FALSE(room.nickOwner("alice"));
}

TEST(Room, JoiningMembersAreMarked) {
    Room room("r", "e1", 1, Ordering::Syncing);
    room.addMember(SessionRef{kAlice, Mode::Json}, "alice");
    EXPECT_FALSE(room.findMember(kAlice)->joining);
    room.setJoining(kAlice, true);
    EXPECT_TRUE(room.findMember(kAlice)->joining);
    room.setJoining(kAlice, false);
    EXPECT_FALSE(room.findMember(kAlice)->joining);
    room.setJoining(makeSessionId(99, 0), true);  // not a member: nothing happens
    EXPECT_FALSE(room.findMember(makeSessionId(99, 0)));
}

TEST(Room, ALocalEpochStartsFromScratch) {
    Room room("r", "e1", 1, Ordering::Shared);
    EXPECT_FALSE(room.isLocal());
    for (const char* text : {"a", "b"}) post(room, text);
    room.startLocalEpoch("local1");
    EXPECT_TRUE(room.isLocal());
    EXPECT_EQ(room.epoch(), "local1");
    EXPECT_EQ(room.seq(), 0u);
    EXPECT_TRUE(room.historyAfter(std::nullopt).messages_json.empty());
    EXPECT_FALSE(room.historyAfter(protocol::Since{"e1", 2}).recovered);
    post(room, "c");
    EXPECT_EQ(room.seq(), 1u);
    room.clearHistory();
    EXPECT_TRUE(room.historyAfter(std::nullopt).messages_json.empty());
}

}  // namespace
}  // namespace chatd::chat
