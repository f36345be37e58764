// The moderation plugin against the fake host: every command from chatdctl
// and from the chat, admission, mutes, expiry and persistence.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include <chatd/testing/fake_host.hpp>

#include "moderation_plugin.h"
#include "timed_moderation.h"

using chatd::sdk::CloseCode;
using chatd::sdk::VerdictKind;
using chatd::sdk::testing::Connection;
using chatd::sdk::testing::FakeHost;
using chatd::sdk::testing::Sender;
using namespace chatd::plugins::moderation;

namespace {

using chatd::plugins::moderation::testing::g_now_ms;
using chatd::plugins::moderation::testing::TimedModeration;

const std::string kModClaims = R"({"sub":"m","role":"moderator"})";

class ModerationTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("moderation-test-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        host_.setStateDir(dir_.string());
        host_.init();
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    Sender member(std::uint64_t id, std::string nick, std::string room = "lobby", std::string address = "10.1.2.3",
                  std::string claims = "") {
        return Sender{id, "s" + std::to_string(id), std::move(room), std::move(nick), "", std::move(address),
                      std::move(claims)};
    }
    std::string file() const { return (dir_ / "moderation-moderation.json").string(); }

    std::filesystem::path dir_;
    FakeHost host_ = FakeHost::of<TimedModeration>("moderation");
};

TEST_F(ModerationTest, BanByNickClosesTheSessionAndRefusesLaterJoins) {
    host_.join(member(1, "bob"));
    host_.join(member(2, "carol"));
    const auto out = host_.control("ban", {"Bob", "--for", "1d", "--reason", "spam"});
    ASSERT_FALSE(out.failed) << out.error;
    EXPECT_NE(out.json.find("\"affected\":1"), std::string::npos) << out.json;
    ASSERT_EQ(host_.disconnects().size(), 1u);
    EXPECT_EQ(host_.disconnects()[0].session_id, 1u);
    EXPECT_EQ(host_.disconnects()[0].code, CloseCode::Banned);
    EXPECT_EQ(host_.disconnects()[0].reason, "banned: spam");
    const auto join = host_.joinRequest(member(3, "BOB", "other"));
    EXPECT_TRUE(join.refused());
    EXPECT_EQ(join.code, "banned");
    EXPECT_NE(join.reason.find("spam"), std::string::npos);
    EXPECT_TRUE(host_.joinRequest(member(4, "carol", "other")).admitted);
    EXPECT_EQ(host_.metric("actions", "ban"), 1.0);
    EXPECT_TRUE(host_.logged("ban of bob everywhere until"));
}

TEST_F(ModerationTest, BanOfAbsentNickStillApplies) {
    ASSERT_FALSE(host_.control("ban", {"dave"}).failed);
    EXPECT_TRUE(host_.disconnects().empty());
    EXPECT_TRUE(host_.joinRequest(member(5, "dave")).refused());
}

TEST_F(ModerationTest, BanByNetworkRefusesUpgradesAndClosesEveryConnectionFromIt) {
    host_.join(member(1, "bob", "lobby", "198.51.100.7"));
    host_.join(member(2, "bob2", "dev", "198.51.100.9"));
    host_.join(member(3, "carol", "lobby", "203.0.113.1"));
    ASSERT_FALSE(host_.control("ban", {"198.51.100.0/24", "--reason", "flood"}).failed);
    EXPECT_EQ(host_.disconnects().size(), 2u);
    EXPECT_TRUE(host_.connect(Connection{.address = "198.51.100.200"}).refused());
    EXPECT_FALSE(host_.connect(Connection{.address = "203.0.113.1"}).refused());
    EXPECT_TRUE(host_.joinRequest(member(9, "newnick", "lobby", "198.51.100.1")).refused());
    EXPECT_FALSE(host_.control("unban", {"198.51.100.0/24"}).failed);
    EXPECT_FALSE(host_.connect(Connection{.address = "198.51.100.200"}).refused());
}

TEST_F(ModerationTest, RoomBanKicksFromThatRoomOnly) {
    host_.join(member(1, "bob", "lobby"));
    ASSERT_FALSE(host_.control("ban", {"bob", "--room", "lobby"}).failed);
    EXPECT_TRUE(host_.disconnects().empty());
    ASSERT_EQ(host_.kicks().size(), 1u);
    EXPECT_EQ(host_.kicks()[0].room, "lobby");
    EXPECT_TRUE(host_.kicks()[0].banned);  // the room sees a leave with reason "banned"
    EXPECT_TRUE(host_.joinRequest(member(1, "bob", "lobby")).refused());
    EXPECT_TRUE(host_.joinRequest(member(1, "bob", "dev")).admitted);
    EXPECT_TRUE(host_.connect(Connection{.address = "10.1.2.3"}).admitted);
}

TEST_F(ModerationTest, MuteRejectsWithMutedAndTellsTheSubject) {
    host_.join(member(1, "bob"));
    ASSERT_FALSE(host_.control("mute", {"bob", "--for", "10m", "--reason", "calm down"}).failed);
    ASSERT_EQ(host_.notices().size(), 1u);
    EXPECT_NE(host_.notices()[0].text.find("muted everywhere until"), std::string::npos) << host_.notices()[0].text;
    const auto out = host_.send("hello", member(1, "bob"));
    ASSERT_TRUE(out.rejected());
    EXPECT_EQ(out.verdict.code, "muted");
    EXPECT_NE(out.verdict.reason.find("calm down"), std::string::npos);
    EXPECT_TRUE(host_.send("hello", member(2, "carol")).passed());
    EXPECT_TRUE(host_.control("mute", {"10.0.0.1"}).failed);  // mutes take nicks
    ASSERT_FALSE(host_.control("unmute", {"bob"}).failed);
    EXPECT_TRUE(host_.send("hello", member(1, "bob")).passed());
    EXPECT_TRUE(host_.control("unmute", {"bob"}).failed);
}

TEST_F(ModerationTest, MuteExpiresOnTick) {
    ASSERT_FALSE(host_.control("mute", {"bob", "--room", "lobby", "--for", "90s"}).failed);
    EXPECT_TRUE(host_.send("hi", member(1, "bob")).rejected());
    EXPECT_TRUE(host_.send("hi", member(1, "bob", "dev")).passed());
    g_now_ms += 91'000;
    EXPECT_TRUE(host_.send("hi", member(1, "bob")).passed());  // lapsed even before the tick
    EXPECT_FALSE(host_.tick());
    EXPECT_EQ(host_.control("mutes").json, "[]");
    EXPECT_EQ(host_.metric("actions", "expired"), 1.0);
}

TEST_F(ModerationTest, TimedBanLapses) {
    ASSERT_FALSE(host_.control("ban", {"198.51.100.7", "--for", "1h"}).failed);
    EXPECT_TRUE(host_.connect(Connection{.address = "198.51.100.7"}).refused());
    g_now_ms += 3'600'000;
    EXPECT_FALSE(host_.tick());
    EXPECT_TRUE(host_.connect(Connection{.address = "198.51.100.7"}).admitted);
    EXPECT_EQ(host_.control("bans").json, "[]");
    EXPECT_TRUE(host_.logged("ban of 198.51.100.7 everywhere lapsed"));
    host_.init("");  // and the file no longer has it
    EXPECT_EQ(host_.control("bans").json, "[]");
}

TEST_F(ModerationTest, KickAndListsAndErrors) {
    host_.join(member(1, "bob", "lobby"));
    const auto kick = host_.control("kick", {"bob", "--reason", "off topic"});
    ASSERT_FALSE(kick.failed) << kick.error;
    ASSERT_EQ(host_.kicks().size(), 1u);
    EXPECT_EQ(host_.kicks()[0].reason, "off topic");
    EXPECT_FALSE(host_.kicks()[0].banned);
    EXPECT_EQ(host_.control("kick", {"nobody"}).error, "no nobody in any room");
    ASSERT_FALSE(host_.control("ban", {"eve", "--by", "ops", "--reason", "spam"}).failed);
    const std::string bans = host_.control("bans").json;
    EXPECT_NE(bans.find("\"target\":\"eve\""), std::string::npos) << bans;
    EXPECT_NE(bans.find("\"by\":\"ops\""), std::string::npos);
    EXPECT_NE(bans.find("\"until\":null"), std::string::npos);
    EXPECT_NE(host_.control("zap").error.find("unknown command 'zap'"), std::string::npos);
    EXPECT_NE(host_.control("ban", {"eve", "--for", "soon"}).error.find("bad duration 'soon'"), std::string::npos);
    EXPECT_NE(host_.control("ban", {}).error.find("needs a target"), std::string::npos);
    EXPECT_NE(host_.control("ban", {"eve", "--room"}).error.find("--room needs a value"), std::string::npos);
    EXPECT_TRUE(host_.control("unban", {"eve", "--room", "lobby"}).failed);  // set everywhere, not in lobby
}

TEST_F(ModerationTest, ChatCommandsNeedTheModeratorClaim) {
    host_.join(member(1, "mod", "lobby", "10.0.0.1", kModClaims));
    host_.join(member(2, "bob", "lobby", "10.0.0.2", R"({"role":"user"})"));
    const auto denied = host_.send("/ban mod 1d", member(2, "bob", "lobby", "10.0.0.2", R"({"role":"user"})"));
    EXPECT_TRUE(denied.rejected());
    EXPECT_EQ(denied.verdict.code, "rejected");
    EXPECT_TRUE(host_.send("/banana is a fruit", member(2, "bob")).passed());

    auto mod = member(1, "mod", "lobby", "10.0.0.1", kModClaims);
    const auto mute = host_.send("/mute bob 10m be nice", mod);
    EXPECT_TRUE(mute.dropped());
    ASSERT_FALSE(host_.replies().empty());
    EXPECT_NE(host_.replies().back().text.find("mute of bob in lobby until"), std::string::npos)
        << host_.replies().back().text;
    EXPECT_EQ(host_.send("x", member(2, "bob")).verdict.code, "muted");
    EXPECT_TRUE(host_.send("x", member(2, "bob", "dev")).passed());  // the chat acts in the moderator's room
    EXPECT_TRUE(host_.send("/unmute bob", mod).dropped());
    EXPECT_TRUE(host_.send("x", member(2, "bob")).passed());
    EXPECT_TRUE(host_.send("/kick bob go away", mod).dropped());
    ASSERT_EQ(host_.kicks().size(), 1u);
    EXPECT_EQ(host_.kicks()[0].reason, "go away");
    host_.join(member(2, "bob", "lobby", "10.0.0.2"));
    EXPECT_TRUE(host_.send("/ban bob 1d spam", mod).dropped());
    EXPECT_EQ(host_.kicks().size(), 2u);
    EXPECT_TRUE(host_.send("/bans", mod).dropped());
    EXPECT_NE(host_.replies().back().text.find("bob in lobby until"), std::string::npos) << host_.replies().back().text;
    EXPECT_TRUE(host_.send("/unban bob", mod).dropped());
    EXPECT_TRUE(host_.joinRequest(member(2, "bob")).admitted);
    EXPECT_TRUE(host_.send("/unban bob", mod).dropped());
    EXPECT_NE(host_.replies().back().text.find("no ban of bob in lobby"), std::string::npos);
}

TEST_F(ModerationTest, ConfigurableClaimAndNoAuthMeansNoModerators) {
    host_.init("moderator_claim: grp\nmoderator_values: [ops, admins]");
    host_.join(member(1, "a", "lobby", "10.0.0.1", R"({"grp":"ops"})"));
    EXPECT_TRUE(host_.send("/bans", member(1, "a", "lobby", "10.0.0.1", R"({"grp":"ops"})")).dropped());
    host_.join(member(2, "b", "lobby", "10.0.0.2", kModClaims));
    EXPECT_TRUE(host_.send("/bans", member(2, "b")).rejected());
    host_.join(member(3, "c", "lobby", "10.0.0.3", ""));
    EXPECT_TRUE(host_.send("/bans", member(3, "c")).rejected());
    EXPECT_TRUE(host_.tryInit("moderator_clam: x").has_value());
}

TEST_F(ModerationTest, SurvivesReloadAndReinitFromTheFile) {
    ASSERT_FALSE(host_.control("ban", {"bob", "--reason", "spam"}).failed);
    ASSERT_FALSE(host_.control("mute", {"eve", "--for", "1h"}).failed);
    EXPECT_TRUE(std::filesystem::exists(file()));
    EXPECT_FALSE(std::filesystem::exists(file() + ".tmp"));
    host_.reload("");
    EXPECT_TRUE(host_.joinRequest(member(1, "bob")).refused());
    EXPECT_EQ(host_.send("x", member(2, "eve")).verdict.code, "muted");
    host_.init("");  // a restart: a new instance reads the file
    EXPECT_TRUE(host_.joinRequest(member(1, "bob")).refused());
    EXPECT_EQ(host_.send("x", member(2, "eve")).verdict.code, "muted");
    EXPECT_NE(host_.control("bans").json.find("\"reason\":\"spam\""), std::string::npos);
    {
        std::ofstream(file()) << "not json";
    }
    const auto error = host_.tryInit("");
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(error->find("is not a moderation file"), std::string::npos) << *error;
}

}  // namespace
