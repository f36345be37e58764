// makeWelcomeFrame: the history is cut, oldest first, so the welcome stays
// within half of limits.send_queue_bytes; users are never cut.
#include <gtest/gtest.h>

#include "chat/welcome_frame.h"
#include "json/json_reader.h"

namespace chatd::chat {
namespace {

struct Fixture {
    std::vector<std::string> users{"alice", "bob"};
    std::vector<std::string> history;  // encoded message objects
    std::vector<std::string_view> views;

    explicit Fixture(std::size_t messages, std::size_t text_bytes) {
        for (std::size_t i = 1; i <= messages; ++i)
            history.push_back(R"({"seq":)" + std::to_string(i) + R"(,"text":")" + std::string(text_bytes, 'x') + "\"}");
        views.assign(history.begin(), history.end());
    }
    protocol::Welcome welcome(bool recovered) const {
        return protocol::Welcome{"7", "alice", "r", "e", history.size(), users, views, recovered, 4096};
    }
};

json::Value parsed(const net::SharedFrame& frame) {
    std::string error;
    auto value = json::parse(net::framePayload(*frame), error);
    EXPECT_TRUE(value) << error;
    return value ? std::move(*value) : json::Value{};
}

std::vector<std::uint64_t> seqs(const json::Value& welcome) {
    std::vector<std::uint64_t> out;
    for (const auto& message : *welcome.find("history")->asArray())
        out.push_back(*message.find("seq")->asUint());
    return out;
}

TEST(WelcomeFrame, EverythingFitsUnchanged) {
    Fixture fixture(3, 10);
    const auto welcome = parsed(makeWelcomeFrame(fixture.welcome(true), 1 << 20));
    EXPECT_EQ(seqs(welcome), (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_TRUE(*welcome.find("recovered")->asBool());
}

TEST(WelcomeFrame, KeepsTheNewestThatFitInHalfTheQueueAndIsNotRecovered) {
    Fixture fixture(100, 1000);  // ~100 KB of history
    const std::size_t queue = 64 * 1024;
    const net::SharedFrame frame = makeWelcomeFrame(fixture.welcome(true), queue);
    EXPECT_LE(net::framePayload(*frame).size(), queue / 2);
    const auto welcome = parsed(frame);
    const auto kept = seqs(welcome);
    ASSERT_FALSE(kept.empty());
    EXPECT_EQ(kept.back(), 100u);
    EXPECT_EQ(kept.front(), 100u - kept.size() + 1);
    EXPECT_GE(kept.size(), 29u) << "about 31 messages of ~1 KB fit in 32 KiB";
    EXPECT_FALSE(*welcome.find("recovered")->asBool());
    EXPECT_EQ(welcome.find("users")->asArray()->size(), 2u);
}

TEST(WelcomeFrame, BudgetIsExactAtTheBoundary) {
    Fixture fixture(2, 100);
    protocol::Welcome welcome = fixture.welcome(false);
    const std::size_t budget = welcomeHistoryBudget(welcome, 1 << 20);
    const std::size_t one = fixture.history[1].size() + 1;
    const std::size_t both = one + fixture.history[0].size() + 1;
    // A queue whose budget holds exactly both messages keeps both; one byte less keeps one.
    const std::size_t fixed = (std::size_t{1} << 20) / 2 - budget;
    EXPECT_EQ(seqs(parsed(makeWelcomeFrame(welcome, (fixed + both) * 2))).size(), 2u);
    EXPECT_EQ(seqs(parsed(makeWelcomeFrame(welcome, (fixed + both - 1) * 2))).size(), 1u);
    EXPECT_EQ(seqs(parsed(makeWelcomeFrame(welcome, (fixed + one) * 2))).size(), 1u);
    EXPECT_EQ(seqs(parsed(makeWelcomeFrame(welcome, (fixed + one - 1) * 2))).size(), 0u);
}

TEST(WelcomeFrame, ManyUsersLeaveLessRoomForHistoryButAreAllListed) {
    Fixture fixture(10, 1000);
    for (int i = 0; i < 2000; ++i) fixture.users.push_back("user-" + std::to_string(i));
    const std::size_t queue = 64 * 1024;  // the users take ~25 KB of the 32 KiB
    const auto welcome = parsed(makeWelcomeFrame(fixture.welcome(false), queue));
    EXPECT_EQ(welcome.find("users")->asArray()->size(), 2002u);
    EXPECT_LT(seqs(welcome).size(), 10u);
    // Users beyond the budget: no history at all, users still complete.
    for (int i = 2000; i < 4000; ++i) fixture.users.push_back("user-" + std::to_string(i));
    const auto crowded = parsed(makeWelcomeFrame(fixture.welcome(true), queue));
    EXPECT_EQ(crowded.find("users")->asArray()->size(), 4002u);
    EXPECT_TRUE(seqs(crowded).empty());
    EXPECT_FALSE(*crowded.find("recovered")->asBool());
}

}  // namespace
}  // namespace chatd::chat
