// Two chatd instances (in-process servers on port 0) sharing rooms through
// one real redis-server: one order and one numbering per room, presence and
// nicks across instances, resuming on the other instance, plugins run once
// where the message arrived.
#include <map>
#include <set>

#include "redis_instances.h"

namespace chatd::testing {
namespace {

TEST_F(SharedRooms, AMessageSentOnAReachesAAndBWithTheSameSeq) {
    EXPECT_EQ(healthOf(*a_), "redis");
    json::Value alice_welcome, bob_welcome;
    auto alice = joined(*a_, "lobby", "alice", &alice_welcome);
    auto bob = joined(*b_, "lobby", "bob", &bob_welcome);
    EXPECT_EQ(users(bob_welcome), (std::vector<std::string>{"alice", "bob"}));  // names across instances
    const json::Value seen = alice->waitForPresence("join", "bob");
    EXPECT_EQ(uint(seen, "count"), 2u);
    say(*alice, "hello B");
    const json::Value at_a = alice->waitFor("message");
    const json::Value at_b = bob->waitFor("message");
    EXPECT_EQ(str(at_b, "text"), "hello B");
    EXPECT_EQ(str(at_b, "from"), "alice");
    EXPECT_EQ(uint(at_a, "seq"), 1u);
    EXPECT_EQ(uint(at_b, "seq"), 1u);
    EXPECT_EQ(str(at_a, "epoch"), str(at_b, "epoch"));
    EXPECT_EQ(str(at_a, "epoch"), str(alice_welcome, "epoch"));
    bob->sendClose();
    const json::Value left = alice->waitForPresence("leave", "bob");
    EXPECT_EQ(uint(left, "count"), 1u);
}

TEST_F(SharedRooms, ManySendersOnBothInstancesOneIdenticalOrder) {
    constexpr int kSendersPerInstance = 2;
    constexpr int kPerSender = 25;
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < 6; ++i) clients.push_back(joined(i % 2 ? *b_ : *a_, "big", "u" + std::to_string(i)));
    for (int round = 0; round < kPerSender; ++round)
        for (int s = 0; s < 2 * kSendersPerInstance; ++s)
            say(*clients[s], "m" + std::to_string(s) + "-" + std::to_string(round));
    constexpr std::size_t kTotal = 2 * kSendersPerInstance * kPerSender;
    std::vector<std::string> reference;
    for (auto& client : clients) {
        std::vector<std::string> seen;
        while (seen.size() < kTotal) {
            const json::Value message = client->waitFor("message");
            EXPECT_EQ(uint(message, "seq"), seen.size() + 1);
            seen.push_back(str(message, "text"));
        }
        if (reference.empty()) reference = seen;
        EXPECT_EQ(seen, reference);
    }
    EXPECT_EQ(std::set<std::string>(reference.begin(), reference.end()).size(), kTotal);  // each once
}

TEST_F(SharedRooms, AClientResumesOnTheOtherInstanceWithoutMissingAnything) {
    json::Value welcome;
    auto alice = joined(*a_, "r", "alice", &welcome);
    const std::string epoch = str(welcome, "epoch");
    for (const char* text : {"one", "two", "three"}) say(*alice, text);
    const json::Value last = messageWithText(*alice, "three");
    alice->sendClose();
    auto bob = joined(*b_, "r", "bob");
    say(*bob, "four");
    say(*bob, "five");
    messageWithText(*bob, "five");
    // alice comes back through the other instance, resuming after "three".
    json::Value resumed;
    auto again = joined(*b_, "r", "alice", &resumed,
                        R"({"epoch":")" + epoch + R"(","seq":)" + std::to_string(uint(last, "seq")) + "}");
    EXPECT_TRUE(*resumed.find("recovered")->asBool());
    const auto& history = *resumed.find("history")->asArray();
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(str(history[0], "text"), "four");
    EXPECT_EQ(uint(history[0], "seq"), 4u);
    EXPECT_EQ(str(history[1], "text"), "five");
    EXPECT_EQ(uint(resumed, "seq"), 5u);
    say(*bob, "six");  // and live after the welcome, nothing twice
    EXPECT_EQ(uint(again->waitFor("message"), "seq"), 6u);
}

// The `history` request in a shared room pages through Redis' log of the
// room: what either instance posted, in the room's order.
TEST_F(SharedRooms, HistoryPagesThroughTheRoomsLogInRedis) {
    json::Value welcome;
    auto alice = joined(*a_, "r", "alice", &welcome);
    auto bob = joined(*b_, "r", "bob");
    for (int i = 1; i <= 5; ++i) say(i % 2 ? *alice : *bob, "m" + std::to_string(i));
    std::map<std::uint64_t, std::string> live;  // the room's order, as alice saw it live
    while (live.size() < 5) {
        const json::Value message = alice->waitFor("message");
        live[uint(message, "seq")] = str(message, "text");
    }
    const auto page = [&](WsClient& client, const std::string& request) {
        client.sendText(request);
        return client.waitFor("history");
    };
    const auto seen = [](const json::Value& answer) {
        std::map<std::uint64_t, std::string> out;
        for (const json::Value& message : *answer.find("messages")->asArray())
            out[uint(message, "seq")] = str(message, "text");
        return out;
    };
    const auto seqs = [](const json::Value& answer) {
        std::vector<std::uint64_t> out;
        for (const json::Value& message : *answer.find("messages")->asArray()) out.push_back(uint(message, "seq"));
        return out;
    };
    const json::Value newest = page(*bob, R"({"type":"history","limit":2,"id":"h1"})");
    EXPECT_EQ(str(newest, "epoch"), str(welcome, "epoch"));
    EXPECT_EQ(str(newest, "id"), "h1");
    EXPECT_EQ(seqs(newest), (std::vector<std::uint64_t>{4, 5}));
    EXPECT_TRUE(*newest.find("more")->asBool());
    const json::Value oldest = page(*alice, R"({"type":"history","before":4,"limit":10})");
    EXPECT_EQ(seqs(oldest), (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_FALSE(*oldest.find("more")->asBool());
    std::map<std::uint64_t, std::string> paged = seen(oldest);
    paged.merge(seen(newest));
    EXPECT_EQ(paged, live);
}

TEST_F(SharedRooms, ANickIsUniqueAcrossInstances) {
    auto alice = joined(*a_, "r", "alice");
    auto other = WsClient::connect(b_->port());
    // A message right behind the join waits for the join's answer, and is
    // refused with it: it never reaches the room under a taken nick.
    other->sendBytes(ws::encodeClientFrame(ws::Opcode::Text, joinFrame("r", "ALICE")) +
                     ws::encodeClientFrame(ws::Opcode::Text, R"({"type":"message","text":"sneaky","id":"s1"})"));
    EXPECT_EQ(str(other->waitFor("error"), "code"), "nick_taken");
    const json::Value refused = other->waitFor("error");
    EXPECT_EQ(str(refused, "code"), "bad_request");
    EXPECT_EQ(str(refused, "id"), "s1");
    say(*alice, "marker");
    EXPECT_EQ(textsUntil(*alice, "marker"), std::vector<std::string>{"marker"});
}

TEST_F(SharedRooms, GuestNicksOfRawClientsDoNotClashAcrossInstances) {
    auto watcher = joined(*a_, "lobby", "watcher");
    WsOptions raw;
    raw.protocol = std::nullopt;
    // Both instances name their guests guest-1, guest-2...: most joins clash.
    constexpr int kPerInstance = 10;
    std::vector<std::unique_ptr<WsClient>> guests;
    for (int i = 0; i < 2 * kPerInstance; ++i) guests.push_back(WsClient::connect((i % 2 ? b_ : a_)->port(), raw));
    // Each raw client is in once its join is announced (a clash retried with
    // another guest nick is announced once, under the nick it got).
    // (The watcher's own join is announced to it too, after its welcome.)
    std::set<std::string> nicks;
    while (nicks.size() < 2u * kPerInstance) {
        const json::Value joined_event = watcher->waitFor("presence", 10s);
        ASSERT_EQ(str(joined_event, "event"), "join");
        if (str(joined_event, "nick") != "watcher") {
            EXPECT_TRUE(nicks.insert(str(joined_event, "nick")).second) << "announced twice";
        }
    }
    json::Value welcome;
    watcher->sendText(joinFrame("lobby", "watcher"));
    welcome = watcher->waitFor("welcome");
    EXPECT_EQ(users(welcome).size(), 2u * kPerInstance + 1)
        << ::testing::PrintToString(users(welcome)) << " announced: " << ::testing::PrintToString(nicks);
    // A raw client gets JSON clients' messages from the other instance as bare text.
    auto bob = joined(*b_, "lobby", "bob");
    say(*bob, "to the raw ones");
    for (auto& client : guests) {
        std::optional<Frame> frame;
        while ((frame = client->receive()) && frame->payload != "to the raw ones") {
        }
        ASSERT_TRUE(frame);
        EXPECT_EQ(frame->opcode, ws::Opcode::Binary);
    }
}

TEST_F(SharedRooms, PluginsRunOnceWhereTheMessageArrived) {
    config::PluginEntry filter;
    filter.name = "filter";
    filter.config = YAML::Load("{words: [darn], action: mask}");
    auto filtered = instance([&](config::Config& c) { c.plugins = {filter}; });
    auto alice = joined(*filtered, "r", "alice");
    auto bob = joined(*b_, "r", "bob");
    say(*alice, "darn it");
    EXPECT_EQ(str(bob->waitFor("message"), "text"), "*** it");  // masked at A, shared masked
    say(*bob, "darn that");
    EXPECT_EQ(str(messageWithText(*alice, "darn that"), "from"), "bob");  // B has no filter: A does not run it again
}

TEST(MemoryBus, HealthSaysMemory) {
    TestServer server;
    EXPECT_EQ(healthOf(server), "memory");
}

}  // namespace
}  // namespace chatd::testing
