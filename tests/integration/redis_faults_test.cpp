// Two chatd instances on one real redis-server, and Redis failing under
// them: stopped (local chat goes on, /healthz says degraded), back (sharing
// resumes by itself), silent with data kept (a new epoch after local
// messages), flushed (a new epoch, recovered: false).
#include "redis_instances.h"

namespace chatd::testing {
namespace {

TEST_F(SharedRooms, RedisStoppedLocalChatGoesOnThenSharingResumesByItself) {
    json::Value welcome;
    auto alice = joined(*a_, "r", "alice", &welcome);
    auto carol = joined(*a_, "r", "carol");
    auto bob = joined(*b_, "r", "bob");
    say(*alice, "shared");
    messageWithText(*bob, "shared");
    redis_.stop();
    ASSERT_TRUE(waitBusState(*a_, "degraded"));
    ASSERT_TRUE(waitBusState(*b_, "degraded"));
    say(*alice, "local on A");
    const json::Value local = messageWithText(*carol, "local on A");
    EXPECT_NE(str(local, "epoch"), str(welcome, "epoch"));  // a local epoch, numbered from 1
    EXPECT_EQ(uint(local, "seq"), 1u);
    say(*bob, "local on B");
    EXPECT_EQ(str(messageWithText(*bob, "local on B"), "from"), "bob");
    // A newcomer on A sees A's members only, and the local history.
    json::Value newcomer;
    auto dave = joined(*a_, "r", "dave", &newcomer);
    EXPECT_EQ(users(newcomer), (std::vector<std::string>{"alice", "carol", "dave"}));
    EXPECT_EQ(str(newcomer, "epoch"), str(local, "epoch"));

    redis_.start();  // empty: Redis had no persistence
    ASSERT_TRUE(waitBusState(*a_, "redis"));
    ASSERT_TRUE(waitBusState(*b_, "redis"));
    say(*alice, "shared again");
    const json::Value at_b = messageWithText(*bob, "shared again");
    const json::Value at_dave = messageWithText(*dave, "shared again");
    EXPECT_EQ(uint(at_b, "seq"), uint(at_dave, "seq"));
    EXPECT_EQ(str(at_b, "epoch"), str(at_dave, "epoch"));
    EXPECT_NE(str(at_b, "epoch"), str(local, "epoch"));
    // Local messages stayed local: they were not published later either.
    say(*bob, "marker");
    const auto carol_saw = textsUntil(*carol, "marker");
    EXPECT_EQ(std::count(carol_saw.begin(), carol_saw.end(), "local on B"), 0);
    EXPECT_EQ(std::count(carol_saw.begin(), carol_saw.end(), "shared again"), 1);
    const auto bob_saw = textsUntil(*bob, "marker");
    EXPECT_EQ(std::count(bob_saw.begin(), bob_saw.end(), "local on A"), 0);
}

TEST_F(SharedRooms, LocalMessagesDuringAnOutageNeverComeBackAndTheEpochMovesOn) {
    json::Value welcome;
    auto alice = joined(*a_, "r", "alice", &welcome);
    auto bob = joined(*b_, "r", "bob");
    say(*alice, "before");
    const json::Value before = messageWithText(*bob, "before");
    redis_.pause();  // silent, keeps its data
    // A join (and a message right behind it) sent before A notices: Redis
    // never answers the claim, so A grants it itself once it gives up on Redis.
    auto dave = WsClient::connect(a_->port());
    dave->sendBytes(ws::encodeClientFrame(ws::Opcode::Text, joinFrame("r", "dave")) +
                    ws::encodeClientFrame(ws::Opcode::Text, R"({"type":"message","text":"dave was waiting"})"));
    const json::Value dave_welcome = dave->waitFor("welcome", 15s);
    EXPECT_NE(str(dave_welcome, "epoch"), str(before, "epoch"));  // the local epoch
    EXPECT_EQ(users(dave_welcome), (std::vector<std::string>{"alice", "dave"}));
    EXPECT_EQ(healthOf(*a_), "degraded");
    const json::Value waited = messageWithText(*alice, "dave was waiting");
    EXPECT_EQ(str(waited, "epoch"), str(dave_welcome, "epoch"));
    EXPECT_EQ(uint(waited, "seq"), 1u);
    say(*alice, "only on A");
    messageWithText(*alice, "only on A");
    redis_.resume();
    ASSERT_TRUE(waitBusState(*a_, "redis"));
    ASSERT_TRUE(waitBusState(*b_, "redis"));
    say(*alice, "after");
    const json::Value after = messageWithText(*bob, "after");  // bob never gets "only on A"
    const json::Value own = messageWithText(*alice, "after");
    // The history was kept: numbering goes on, but under a new epoch, since
    // A's clients saw a local epoch in between (an epoch never comes back).
    EXPECT_EQ(uint(after, "seq"), uint(before, "seq") + 1);
    EXPECT_NE(str(after, "epoch"), str(before, "epoch"));
    EXPECT_EQ(str(own, "epoch"), str(after, "epoch"));
    json::Value resumed;
    auto carol =
        joined(*b_, "r", "carol", &resumed,
               R"({"epoch":")" + str(before, "epoch") + R"(","seq":)" + std::to_string(uint(before, "seq")) + "}");
    EXPECT_FALSE(*resumed.find("recovered")->asBool());
    const auto& history = *resumed.find("history")->asArray();
    ASSERT_FALSE(history.empty());
    for (const auto& message : history) EXPECT_NE(str(message, "text"), "only on A");
}

TEST_F(SharedRooms, AFlushedRedisMeansANewEpochAndNoRecovery) {
    json::Value welcome;
    auto alice = joined(*a_, "r", "alice", &welcome);
    auto bob = joined(*b_, "r", "bob");
    say(*alice, "one");
    const json::Value one = messageWithText(*bob, "one");
    redis_.flushAll();
    // Each instance notices within a heartbeat (it finds itself unregistered)
    // and registers its members again.
    const auto deadline = Clock::now() + 20s;
    while (redis_.command({"HLEN", "it:room:r:users"}) != "2") {
        ASSERT_LT(Clock::now(), deadline) << "the members were never registered again";
        std::this_thread::sleep_for(20ms);  // polling Redis: nothing to wait on
    }
    ASSERT_TRUE(waitBusState(*a_, "redis"));
    ASSERT_TRUE(waitBusState(*b_, "redis"));
    say(*alice, "two");
    const json::Value two = messageWithText(*bob, "two");
    EXPECT_NE(str(two, "epoch"), str(one, "epoch"));
    EXPECT_EQ(uint(two, "seq"), 1u);
    json::Value resumed;
    auto carol = joined(*a_, "r", "carol", &resumed, R"({"epoch":")" + str(one, "epoch") + R"(","seq":1})");
    EXPECT_FALSE(*resumed.find("recovered")->asBool());
    EXPECT_EQ(str(resumed, "epoch"), str(two, "epoch"));
    auto clash = WsClient::connect(b_->port());
    clash->sendText(joinFrame("r", "alice"));
    EXPECT_EQ(str(clash->waitFor("error"), "code"), "nick_taken");
}

}  // namespace
}  // namespace chatd::testing
