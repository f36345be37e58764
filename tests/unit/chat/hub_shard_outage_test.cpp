// HubShard when the shared bus goes away and comes back, and when Redis
// loses a room: rooms go on locally under a new epoch, bounced requests are
// served here, open joins are granted here; once the link is back each room
// registers its members again and catches up with what it missed.
#include <gtest/gtest.h>

#include "chat_requests.h"
#include "shared_core.h"

namespace chatd::testing {
namespace {

// Alice in shared room r, after one message from B.
class Outage : public ::testing::Test {
protected:
    void SetUp() override {
        alice_ = core().connect();
        enter(*alice_, "r", "alice");
        bus().remotePost("r", "bob", "before");
        json::Value before = nextOfType(*alice_, "message");
        shared_epoch_ = str(before, "epoch");
        ASSERT_EQ(uint(before, "seq"), 1u);
    }
    FakeBus& bus() { return shared_.bus(); }
    ChatCore& core() { return shared_.core(); }

    SharedCore shared_;
    std::unique_ptr<WsClient> alice_;
    std::string shared_epoch_;
};

TEST_F(Outage, RoomsGoOnLocallyUnderANewEpoch) {
    bus().dropLink();
    alice_->sendText(messageRequest("while down", "d1"));
    json::Value local = nextOfType(*alice_, "message");
    EXPECT_EQ(str(local, "text"), "while down");
    EXPECT_EQ(str(local, "id"), "d1");
    EXPECT_NE(str(local, "epoch"), shared_epoch_);
    EXPECT_EQ(uint(local, "seq"), 1u);
    EXPECT_TRUE(requestsOf<bus::PublishRequest>(bus()).empty()) << "a room served locally publishes nothing";
    // A newcomer is welcomed locally, in the same local epoch.
    auto carol = core().connect();
    json::Value welcome = joinAs(*carol, "r", "carol");
    EXPECT_EQ(str(welcome, "epoch"), str(local, "epoch"));
    EXPECT_EQ(uint(welcome, "seq"), 1u);
    EXPECT_EQ(historySeqs(welcome), (std::vector<std::uint64_t>{1}));
}

// The shard still thought the room shared: the bus bounces the message and
// it is delivered here, after the shard heard that sharing stopped.
TEST_F(Outage, AMessageTheBusBouncedIsDeliveredLocally) {
    bus().hold();
    bus().dropLink();
    alice_->sendText(messageRequest("bounced"));
    ASSERT_TRUE(waitForRequestOf<bus::PublishRequest>(bus(), [](const auto& p) { return p.text == "bounced"; }));
    bus().flush();
    json::Value local = nextOfType(*alice_, "message");
    EXPECT_EQ(str(local, "text"), "bounced");
    EXPECT_NE(str(local, "epoch"), shared_epoch_);
    EXPECT_EQ(uint(local, "seq"), 1u);
}

TEST_F(Outage, AJoinOpenWhenTheLinkDropsIsGrantedLocally) {
    bus().hold();
    auto carol = core().connect();
    carol->sendText(joinRequest("r", "carol"));
    ASSERT_TRUE(bus().waitHeld(2));  // its sync point and presence: lost with the link
    bus().dropLink();
    bus().flush();
    json::Value welcome = nextOfType(*carol, "welcome");
    EXPECT_EQ(str(welcome, "nick"), "carol");
    EXPECT_NE(str(welcome, "epoch"), shared_epoch_);
    EXPECT_EQ(uint(welcome, "seq"), 0u);
    expectPresence(*alice_, "join", "carol", 2u);
}

// A message written before the join was granted is delivered here too,
// after the welcome.
TEST_F(Outage, AMessageWaitingForAnOpenJoinIsDeliveredLocally) {
    bus().hold();
    auto carol = core().connect();
    carol->sendText(joinRequest("r", "carol"));
    carol->sendText(messageRequest("early", "e1"));
    ASSERT_TRUE(eventually([&] { return core().messagesTaken() == 1; }));
    bus().dropLink();
    bus().flush();
    const std::string epoch = str(nextOfType(*carol, "welcome"), "epoch");
    nextOfType(*carol, "presence");
    json::Value message = nextOfType(*carol, "message");
    EXPECT_EQ(str(message, "text"), "early");
    EXPECT_EQ(str(message, "id"), "e1");
    EXPECT_EQ(str(message, "epoch"), epoch);
    EXPECT_EQ(uint(message, "seq"), 1u);
    EXPECT_TRUE(requestsOf<bus::PublishRequest>(bus()).empty());
}

TEST_F(Outage, ARenameOpenWhenTheLinkDropsIsAppliedAndAnnouncedLocally) {
    bus().hold();
    alice_->sendText(nickRequest("alicia"));
    ASSERT_TRUE(waitForRequestOf<bus::ClaimRequest>(bus(), [](const auto& c) { return c.nick == "alicia"; }));
    bus().dropLink();
    bus().flush();
    EXPECT_EQ(str(expectPresence(*alice_, "nick", "alicia", 1u), "old_nick"), "alice");
    alice_->sendText(messageRequest("renamed"));
    EXPECT_EQ(str(nextOfType(*alice_, "message"), "from"), "alicia");
}

// Nothing was said here meanwhile: the room resyncs from its cursor and
// delivers what B said while the link was down, then goes on live.
TEST_F(Outage, BackOnlineTheRoomCatchesUpWithWhatItMissed) {
    bus().dropLink();
    bus().remotePost("r", "bob", "missed 2");
    bus().remotePost("r", "bob", "missed 3");
    bus().restoreLink();
    auto resync = waitForRequestOf<bus::ResyncRequest>(bus(), [](const auto&) { return true; });
    ASSERT_TRUE(resync);
    EXPECT_EQ(resync->room, "r");
    EXPECT_EQ(resync->nicks, std::vector<std::string>{"alice"});
    EXPECT_EQ(resync->cursor, (bus::Position{shared_epoch_, 1}));
    EXPECT_FALSE(resync->new_epoch);
    for (std::uint64_t seq : {2u, 3u}) {
        json::Value missed = nextOfType(*alice_, "message");
        EXPECT_EQ(uint(missed, "seq"), seq);
        EXPECT_EQ(str(missed, "epoch"), shared_epoch_);
        EXPECT_EQ(str(missed, "text"), "missed " + std::to_string(seq));
    }
    alice_->sendText(messageRequest("live"));
    json::Value live = nextOfType(*alice_, "message");
    EXPECT_EQ(uint(live, "seq"), 4u);
    EXPECT_EQ(str(live, "epoch"), shared_epoch_);
    EXPECT_EQ(str(live, "text"), "live");
}

// Messages numbered locally meanwhile: the room moves to a new epoch, so no
// client sees the epoch it left come back with other messages under its seqs.
TEST_F(Outage, LocalMessagesMeanwhileMoveTheRoomToANewEpoch) {
    bus().dropLink();
    alice_->sendText(messageRequest("local"));
    const std::string local_epoch = str(nextOfType(*alice_, "message"), "epoch");
    bus().restoreLink();
    auto resync = waitForRequestOf<bus::ResyncRequest>(bus(), [](const auto&) { return true; });
    ASSERT_TRUE(resync);
    EXPECT_TRUE(resync->new_epoch);
    EXPECT_EQ(resync->cursor, (bus::Position{shared_epoch_, 1}));
    ASSERT_TRUE(eventually([&] { return bus().position("r")->epoch != shared_epoch_; }));
    // Once the room's sync point is in, live messages carry the new epoch.
    bus().remotePost("r", "bob", "after");
    json::Value after = nextOfType(*alice_, "message");
    EXPECT_EQ(str(after, "text"), "after");
    EXPECT_EQ(str(after, "epoch"), bus().position("r")->epoch);
    EXPECT_NE(str(after, "epoch"), shared_epoch_);
    EXPECT_NE(str(after, "epoch"), local_epoch);
}

// Redis lost the room (flushed): its next message starts a new epoch at seq
// 1, members get it, and resuming from the old epoch is not recovered.
TEST_F(Outage, ARoomRedisLostStartsANewEpoch) {
    bus().loseRoom("r");
    bus().remotePost("r", "bob", "new era");
    json::Value message = nextOfType(*alice_, "message");
    EXPECT_EQ(str(message, "text"), "new era");
    EXPECT_EQ(uint(message, "seq"), 1u);
    EXPECT_NE(str(message, "epoch"), shared_epoch_);
    bus().remotePost("r", "bob", "next");
    EXPECT_EQ(uint(nextOfType(*alice_, "message"), "seq"), 2u);

    auto carol = core().connect();
    carol->sendText(joinRequest("r", "carol", std::make_pair(shared_epoch_, 1)));
    json::Value welcome = nextOfType(*carol, "welcome");
    EXPECT_FALSE(recovered(welcome));
    EXPECT_EQ(str(welcome, "epoch"), str(message, "epoch"));
    EXPECT_EQ(historySeqs(welcome), (std::vector<std::uint64_t>{1, 2}));
}

}  // namespace
}  // namespace chatd::testing
