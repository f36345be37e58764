// HubShard with local ordering (the in-memory bus): joins, nicks, leaves,
// one order for every member, resume with `since`, room limits. What is
// checked is what the sessions receive, frame by frame.
#include <gtest/gtest.h>

#include <algorithm>

#include "chat_core.h"
#include "chat_requests.h"

namespace chatd::testing {
namespace {

using Nicks = std::vector<std::string>;

TEST(HubShardLocal, TheJoinerGetsItsWelcomeThenItsPresenceAndTheOthersThePresence) {
    ChatCore core;
    auto alice = core.connect();
    json::Value first = joinAs(*alice, "r", "alice");
    EXPECT_EQ(str(first, "nick"), "alice");
    EXPECT_EQ(str(first, "room"), "r");
    EXPECT_EQ(uint(first, "seq"), 0u);
    EXPECT_EQ(usersOf(first), Nicks{"alice"});
    EXPECT_FALSE(recovered(first));
    expectPresence(*alice, "join", "alice", 1u);

    auto bob = core.connect();
    json::Value second = joinAs(*bob, "r", "bob");
    EXPECT_EQ(str(second, "epoch"), str(first, "epoch"));
    EXPECT_EQ(sorted(usersOf(second)), (Nicks{"alice", "bob"}));
    EXPECT_NE(str(second, "session"), str(first, "session"));
    for (WsClient* client : {alice.get(), bob.get()}) {
        expectPresence(*client, "join", "bob", 2u);
    }
}

TEST(HubShardLocal, AJoinWithoutANickGetsAGuestNick) {
    ChatCore core;
    auto client = core.connect();
    json::Value welcome = joinAs(*client, "r");
    EXPECT_TRUE(str(welcome, "nick").starts_with("guest-")) << str(welcome, "nick");
    EXPECT_EQ(usersOf(welcome), Nicks{str(welcome, "nick")});
}

TEST(HubShardLocal, ANickIsTakenCaseInsensitivelyForJoinsAndRenames) {
    ChatCore core;
    auto alice = core.connect();
    enter(*alice, "r", "Alice");
    auto bob = core.connect();
    enterSeenBy(*bob, "r", "bob", {alice.get()});

    auto other = core.connect();
    other->sendText(joinRequest("r", "ALICE", {}, "j1"));
    expectError(*other, "nick_taken", "j1");

    bob->sendText(nickRequest("alice", "n1"));
    expectError(*bob, "nick_taken", "n1");

    // Neither refusal changed the room: the next thing Alice hears is Bob's message, from "bob".
    bob->sendText(messageRequest("still bob"));
    json::Value message = nextOfType(*alice, "message");
    EXPECT_EQ(str(message, "from"), "bob");
    EXPECT_EQ(uint(message, "seq"), 1u);
}

TEST(HubShardLocal, ARenameIsAnnouncedAndLaterMessagesCarryTheNewNick) {
    ChatCore core;
    auto alice = core.connect();
    enter(*alice, "r", "alice");
    auto bob = core.connect();
    enterSeenBy(*bob, "r", "bob", {alice.get()});

    bob->sendText(nickRequest("robert"));
    for (WsClient* client : {alice.get(), bob.get()}) {
        EXPECT_EQ(str(expectPresence(*client, "nick", "robert", 2u), "old_nick"), "bob");
    }
    // Its own nick in another case is no clash.
    bob->sendText(nickRequest("Robert"));
    EXPECT_EQ(str(nextOfType(*alice, "presence"), "nick"), "Robert");
    bob->sendText(messageRequest("hello"));
    EXPECT_EQ(str(nextOfType(*alice, "message"), "from"), "Robert");
    // The old nick is free again.
    auto other = core.connect();
    EXPECT_EQ(str(joinAs(*other, "r", "bob"), "nick"), "bob");
}

// A join of the room the client is in, under another nick: a rename, then
// a new welcome (in this order here; a shared room's welcome comes first).
TEST(HubShardLocal, JoiningTheSameRoomUnderANewNickRenamesAndWelcomesAgain) {
    ChatCore core;
    auto alice = core.connect();
    enter(*alice, "r", "alice");
    auto bob = core.connect();
    enterSeenBy(*bob, "r", "bob", {alice.get()});
    bob->sendText(joinRequest("r", "bobby"));
    for (WsClient* member : {alice.get(), bob.get()})
        EXPECT_EQ(str(expectPresence(*member, "nick", "bobby", 2u), "old_nick"), "bob");
    json::Value welcome = nextOfType(*bob, "welcome");
    EXPECT_EQ(str(welcome, "nick"), "bobby");
    EXPECT_EQ(sorted(usersOf(welcome)), (Nicks{"alice", "bobby"}));
}

TEST(HubShardLocal, AMemberThatClosesIsAnnouncedAsLeft) {
    ChatCore core;
    auto alice = core.connect();
    enter(*alice, "r", "alice");
    auto bob = core.connect();
    joinAs(*bob, "r", "bob");
    nextOfType(*alice, "presence");
    bob.reset();
    expectPresence(*alice, "leave", "bob", 1u);
}

// Three senders on two IO loops, interleaved: every member receives the same
// messages in the same order, numbered 1, 2, 3... without a gap.
TEST(HubShardLocal, EveryMemberSeesOneOrderWithConsecutiveSeqs) {
    ChatCore core;
    std::vector<std::unique_ptr<WsClient>> members;
    for (const char* nick : {"a", "b", "c"}) {
        members.push_back(core.connect());
        joinAs(*members.back(), "r", nick);
    }
    constexpr int kEach = 30;
    for (int i = 0; i < kEach; ++i)
        for (std::size_t m = 0; m < members.size(); ++m)
            members[m]->sendText(messageRequest(std::to_string(m) + ":" + std::to_string(i)));
    std::vector<std::vector<std::string>> seen(members.size());
    for (std::size_t m = 0; m < members.size(); ++m) {
        std::uint64_t expected_seq = 1;
        while (seen[m].size() < kEach * members.size()) {
            json::Value frame = members[m]->receiveJson();
            if (str(frame, "type") != "message") continue;  // presence of the later joiners
            EXPECT_EQ(uint(frame, "seq"), expected_seq++);
            seen[m].push_back(str(frame, "from") + "/" + str(frame, "text"));
        }
    }
    EXPECT_EQ(seen[0], seen[1]);
    EXPECT_EQ(seen[0], seen[2]);
    // Each sender's own messages keep the order it sent them in.
    for (std::size_t m = 0; m < members.size(); ++m) {
        int last = -1;
        for (const std::string& entry : seen[0]) {
            const std::string prefix = std::string(1, "abc"[m]) + "/" + std::to_string(m) + ":";
            if (!entry.starts_with(prefix)) continue;
            const int index = std::stoi(entry.substr(prefix.size()));
            EXPECT_EQ(index, last + 1);
            last = index;
        }
    }
}

TEST(HubShardLocal, TheSenderGetsItsOwnMessageWithItsRequestId) {
    ChatCore core;
    auto alice = core.connect();
    json::Value welcome = enter(*alice, "r", "alice");
    alice->sendText(messageRequest("hi", "m1"));
    json::Value own = nextOfType(*alice, "message");
    EXPECT_EQ(str(own, "text"), "hi");
    EXPECT_EQ(str(own, "from"), "alice");
    EXPECT_EQ(str(own, "room"), "r");
    EXPECT_EQ(str(own, "id"), "m1");
    EXPECT_EQ(str(own, "epoch"), str(welcome, "epoch"));
    EXPECT_EQ(uint(own, "seq"), 1u);
}

// Five messages, then joins resuming from several positions.
class HubShardResume : public ::testing::Test {
protected:
    void SetUp() override {
        ChatCore::Options options;
        options.settings.history_size = 4;
        core_ = std::make_unique<ChatCore>(std::move(options));
        writer_ = core_->connect();
        epoch_ = str(enter(*writer_, "r", "writer"), "epoch");
        for (int i = 1; i <= 5; ++i) writer_->sendText(messageRequest("m" + std::to_string(i)));
        for (int i = 1; i <= 5; ++i) nextOfType(*writer_, "message");
    }
    json::Value resume(const std::string& epoch, std::uint64_t seq) {
        readers_.push_back(core_->connect());
        readers_.back()->sendText(joinRequest("r", {}, std::make_pair(epoch, seq)));
        return nextOfType(*readers_.back(), "welcome");
    }

    std::unique_ptr<ChatCore> core_;
    std::unique_ptr<WsClient> writer_;
    std::vector<std::unique_ptr<WsClient>> readers_;
    std::string epoch_;
};

TEST_F(HubShardResume, SinceAPositionStillHeldRecoversExactlyWhatCameAfter) {
    json::Value welcome = resume(epoch_, 2);
    EXPECT_TRUE(recovered(welcome));
    EXPECT_EQ(uint(welcome, "seq"), 5u);
    EXPECT_EQ(historySeqs(welcome), (std::vector<std::uint64_t>{3, 4, 5}));
    // Live messages go on right after the history.
    writer_->sendText(messageRequest("live"));
    nextOfType(*readers_.back(), "presence");
    EXPECT_EQ(uint(nextOfType(*readers_.back(), "message"), "seq"), 6u);
}

TEST_F(HubShardResume, SinceTheLastMessageRecoversNothingMissing) {
    json::Value welcome = resume(epoch_, 5);
    EXPECT_TRUE(recovered(welcome));
    EXPECT_TRUE(historySeqs(welcome).empty());
}

TEST_F(HubShardResume, SinceAPositionNoLongerHeldIsNotRecoveredAndGetsTheRecentHistory) {
    json::Value welcome = resume(epoch_, 0);
    EXPECT_FALSE(recovered(welcome));
    EXPECT_EQ(historySeqs(welcome), (std::vector<std::uint64_t>{2, 3, 4, 5}));
}

TEST_F(HubShardResume, SinceAnotherEpochIsNotRecovered) {
    json::Value welcome = resume("another-epoch", 2);
    EXPECT_FALSE(recovered(welcome));
    EXPECT_EQ(str(welcome, "epoch"), epoch_);
    EXPECT_EQ(historySeqs(welcome), (std::vector<std::uint64_t>{2, 3, 4, 5}));
}

TEST(HubShardLimits, AFullRoomAndTooManyRoomsRefuseTheJoin) {
    ChatCore::Options options;
    options.settings.max_room_users = 1;
    options.settings.max_rooms = 1;
    ChatCore core(std::move(options));
    auto alice = core.connect();
    joinAs(*alice, "r", "alice");
    auto bob = core.connect();
    bob->sendText(joinRequest("r", "bob", {}, "j1"));
    expectError(*bob, "room_full", "j1");
    bob->sendText(joinRequest("s", "bob", {}, "j2"));
    expectError(*bob, "too_many_rooms", "j2");
}

}  // namespace
}  // namespace chatd::testing
