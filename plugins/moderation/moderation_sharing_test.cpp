// Two moderation instances as two chatd instances on one Redis (two fake
// hosts, their broadcasts relayed by hand): an action on one holds on the
// other at once (saved, enforced on its sessions), the latest action wins
// whatever order they arrive in, a lift stays lifted against an old copy, an
// instance that was down or cut off catches up by a sync, and tombstones go.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <chatd/testing/fake_host.hpp>

#include "moderation_plugin.h"
#include "timed_moderation.h"

using chatd::sdk::CloseCode;
using chatd::sdk::testing::FakeHost;
using chatd::sdk::testing::Sender;
using namespace chatd::plugins::moderation;

namespace {

using chatd::plugins::moderation::testing::g_now_ms;
using chatd::plugins::moderation::testing::TimedModeration;

class ModerationSharingTest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = std::filesystem::temp_directory_path() /
                ("moderation-sharing-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(root_);
        for (const char* dir : {"a", "b"}) std::filesystem::create_directories(root_ / dir);
        a_.setStateDir((root_ / "a").string());
        b_.setStateDir((root_ / "b").string());
        a_.init();
        b_.init();
        a_.clearRecords();  // the start-up syncs: tested on their own
        b_.clearRecords();
    }
    void TearDown() override { std::filesystem::remove_all(root_); }

    static Sender member(std::uint64_t id, std::string nick, std::string room = "lobby") {
        return Sender{id, "s" + std::to_string(id), std::move(room), std::move(nick), "", "10.1.2.3", ""};
    }
    std::string fileOf(const char* dir) const {
        std::ifstream in(root_ / dir / "moderation-moderation.json");
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }

    std::filesystem::path root_;
    FakeHost a_ = FakeHost::of<TimedModeration>("moderation");
    FakeHost b_ = FakeHost::of<TimedModeration>("moderation");
};

TEST_F(ModerationSharingTest, ABanOnOneInstanceClosesTheSessionOnTheOtherAndHolds) {
    b_.join(member(7, "bob"));
    ASSERT_FALSE(a_.control("ban", {"bob", "--reason", "spam"}).failed);
    ASSERT_EQ(a_.relayTo(b_), 1u);
    ASSERT_EQ(b_.disconnects().size(), 1u);
    EXPECT_EQ(b_.disconnects()[0].session_id, 7u);
    EXPECT_EQ(b_.disconnects()[0].code, CloseCode::Banned);
    EXPECT_EQ(b_.disconnects()[0].reason, "banned: spam");
    EXPECT_EQ(b_.joinRequest(member(8, "Bob", "dev")).code, "banned");
    EXPECT_TRUE(b_.logged("(from instance moderation)"));
    EXPECT_EQ(b_.metric("actions", "peer_ban"), 1.0);
    EXPECT_TRUE(b_.broadcasts().empty());  // a peer's action is not sent on again
    b_.init();  // a restart of B: it was saved there too
    EXPECT_TRUE(b_.joinRequest(member(8, "bob")).refused());
}

TEST_F(ModerationSharingTest, ARoomBanKicksOnTheOther) {
    b_.join(member(7, "bob", "dev"));
    ASSERT_FALSE(a_.control("ban", {"bob", "--room", "dev"}).failed);
    a_.relayTo(b_);
    ASSERT_EQ(b_.kicks().size(), 1u);
    EXPECT_EQ(b_.kicks()[0].room, "dev");
    EXPECT_TRUE(b_.kicks()[0].banned);
    EXPECT_TRUE(b_.disconnects().empty());
}

TEST_F(ModerationSharingTest, AMuteOnOneRefusesOnTheOtherAndTellsTheSubject) {
    a_.join(member(3, "eve"));
    ASSERT_FALSE(b_.control("mute", {"eve", "--for", "10m", "--reason", "calm"}).failed);
    b_.relayTo(a_);
    const auto out = a_.send("hi", member(3, "eve"));
    EXPECT_EQ(out.verdict.code, "muted");
    ASSERT_EQ(a_.notices().size(), 1u);
    EXPECT_NE(a_.notices()[0].text.find("you are muted everywhere until"), std::string::npos) << a_.notices()[0].text;
    ASSERT_FALSE(b_.control("unmute", {"eve"}).failed);
    b_.relayTo(a_);
    EXPECT_TRUE(a_.send("hi", member(3, "eve")).passed());
    EXPECT_NE(a_.notices().back().text.find("no longer muted"), std::string::npos);
}

TEST_F(ModerationSharingTest, TheLatestActionWinsInWhateverOrderTheyArrive) {
    ASSERT_FALSE(a_.control("ban", {"bob", "--for", "1h"}).failed);
    const std::string first_ban = a_.broadcasts().at(0).payload;
    a_.relayTo(b_);
    g_now_ms += 10;
    ASSERT_FALSE(b_.control("unban", {"bob"}).failed);  // B lifts it...
    g_now_ms += 10;
    ASSERT_FALSE(a_.control("ban", {"bob", "--reason", "again"}).failed);  // ...while A bans again, later
    b_.relayTo(a_);  // the older lift reaches A after A's newer ban: ignored
    a_.relayTo(b_);
    EXPECT_TRUE(a_.joinRequest(member(1, "bob")).refused());
    EXPECT_TRUE(b_.joinRequest(member(1, "bob")).refused());
    EXPECT_NE(b_.control("bans").json.find("\"reason\":\"again\""), std::string::npos);

    g_now_ms += 10;
    ASSERT_FALSE(a_.control("unban", {"bob"}).failed);
    a_.relayTo(b_);
    EXPECT_FALSE(b_.peerMessage(first_ban));  // an old copy of a lifted ban...
    EXPECT_TRUE(b_.joinRequest(member(1, "bob")).admitted);  // ...stays lifted
    EXPECT_NE(fileOf("b").find("\"lifted\":true"), std::string::npos);
}

TEST_F(ModerationSharingTest, AnInstanceThatWasDownCatchesUpBothWays) {
    ASSERT_FALSE(a_.control("ban", {"bob"}).failed);
    ASSERT_FALSE(b_.control("mute", {"eve"}).failed);
    a_.clearRecords();  // neither heard of the other's action (B was down)
    b_.clearRecords();
    b_.init();  // B starts: it asks for the peers' state and sends its own
    ASSERT_EQ(b_.broadcasts().size(), 2u);
    EXPECT_NE(b_.broadcasts()[0].payload.find("\"reply\":true"), std::string::npos);
    EXPECT_NE(b_.broadcasts()[1].payload.find("\"target\":\"eve\""), std::string::npos);
    b_.relayTo(a_);  // A answers with its state and merges eve's mute
    EXPECT_EQ(a_.send("x", member(3, "eve")).verdict.code, "muted");
    ASSERT_EQ(a_.relayTo(b_), 1u);
    EXPECT_TRUE(b_.joinRequest(member(1, "bob")).refused());
    EXPECT_TRUE(b_.broadcasts().empty());  // an answer is not answered
}

TEST_F(ModerationSharingTest, AFailedSendIsMadeUpByASyncWhenSendingWorksAgain) {
    a_.setSharing(false);  // Redis down
    ASSERT_FALSE(a_.control("ban", {"bob"}).failed);
    EXPECT_FALSE(a_.tick());
    EXPECT_TRUE(a_.broadcasts().empty());
    a_.setSharing(true);
    g_now_ms += 1'001;  // the retry waits a second
    EXPECT_FALSE(a_.tick());
    ASSERT_EQ(a_.broadcasts().size(), 2u);  // the request, then the state
    a_.relayTo(b_);
    EXPECT_TRUE(b_.joinRequest(member(1, "bob")).refused());
    g_now_ms += 1'001;
    EXPECT_FALSE(a_.tick());
    EXPECT_TRUE(a_.broadcasts().empty());  // synced: no more syncs
}

TEST_F(ModerationSharingTest, LapsedEntriesAndOldTombstonesGo) {
    ASSERT_FALSE(a_.control("ban", {"bob", "--for", "1h"}).failed);
    const std::string ban = a_.broadcasts().at(0).payload;
    g_now_ms += 3'600'000;
    EXPECT_FALSE(b_.peerMessage(ban));  // arrived after it lapsed: nothing to hold
    EXPECT_TRUE(b_.joinRequest(member(1, "bob")).admitted);
    ASSERT_FALSE(a_.control("ban", {"carl"}).failed);
    ASSERT_FALSE(a_.control("unban", {"carl"}).failed);
    EXPECT_NE(fileOf("a").find("carl"), std::string::npos);  // the tombstone
    g_now_ms += kTombstoneMs + 1;  // (the lift came 1 ms after the ban: same clock reading)
    EXPECT_FALSE(a_.tick());
    EXPECT_EQ(fileOf("a").find("carl"), std::string::npos);
}

TEST_F(ModerationSharingTest, AMalformedPayloadFailsTheHookOnly) {
    EXPECT_TRUE(b_.peerMessage("not json").has_value());
    EXPECT_TRUE(b_.peerMessage(R"({"type":"entry"})").has_value());
    EXPECT_FALSE(b_.peerMessage(R"({"type":"from_the_future"})").has_value());
    EXPECT_TRUE(b_.joinRequest(member(1, "bob")).admitted);
}

}  // namespace
