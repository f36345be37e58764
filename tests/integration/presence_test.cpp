// Presence in both regimes against the real server (in-process, port 0) with
// real WebSocket clients, with chat.presence_max_members: 3,
// chat.presence_interval: 200ms and chat.welcome_users: 2 set in the config:
// per-event presence up to 3 members, batches beyond, the welcome's cap and
// the `users` pages.
#include <gtest/gtest.h>

#include <set>

#include "test_server.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using Nicks = std::vector<std::string>;

void smallThreshold(config::Config& c) {
    c.chat.presence_max_members = 3;
    c.chat.presence_interval = std::chrono::milliseconds(200);
    c.chat.welcome_users = 2;
}

std::unique_ptr<WsClient> joined(TestServer& server, const std::string& nick, json::Value* welcome = nullptr) {
    return joinedClient(server.port(), nick, "big", {}, welcome);
}

Nicks nicksIn(const json::Value& frame, std::string_view field) {
    Nicks out;
    for (const auto& item : *frame.find(field)->asArray()) out.push_back(*item.asString());
    return out;
}

TEST(Presence, PerEventUpToTheThresholdThenBatchesThenPerEventAgain) {
    TestServer server(smallThreshold);
    auto alice = joined(server, "alice");
    auto bob = joined(server, "bob");
    auto carol = joined(server, "carol");
    alice->waitForPresence("join", "bob");
    EXPECT_EQ(uint(alice->waitForPresence("join", "carol"), "count"), 3u);

    json::Value welcome;
    auto dave = joined(server, "dave", &welcome);  // the 4th: beyond the threshold
    EXPECT_EQ(nicksIn(welcome, "users"), (Nicks{"dave", "alice"}));
    EXPECT_EQ(uint(welcome, "count"), 4u);
    EXPECT_FALSE(*welcome.find("users_complete")->asBool());
    // alice hears of dave in a batch (nothing else is pending: the next presence is it).
    json::Value batch = alice->waitFor("presence");
    EXPECT_EQ(str(batch, "event"), "batch");
    EXPECT_EQ(nicksIn(batch, "joined"), (Nicks{"dave"}));
    EXPECT_EQ(uint(batch, "joined_count"), 1u);
    EXPECT_EQ(uint(batch, "count"), 4u);

    // Back to 3: per-event again.
    dave->sendClose();
    json::Value leave = alice->waitFor("presence");
    EXPECT_EQ(str(leave, "event"), "leave");
    EXPECT_EQ(str(leave, "nick"), "dave");
    EXPECT_EQ(uint(leave, "count"), 3u);
}

TEST(Presence, TheUsersRequestPagesThroughABigRoom) {
    TestServer server(smallThreshold);
    std::vector<std::unique_ptr<WsClient>> members;
    for (const char* nick : {"eve", "Dan", "cy", "Bob", "ann"}) members.push_back(joined(server, nick));
    WsClient& eve = *members.front();
    eve.sendText(R"({"type":"users","limit":2,"id":"p1"})");
    json::Value first = eve.waitFor("users");
    EXPECT_EQ(nicksIn(first, "users"), (Nicks{"ann", "Bob"}));
    EXPECT_EQ(str(first, "next"), "Bob");
    EXPECT_EQ(str(first, "id"), "p1");
    EXPECT_EQ(uint(first, "count"), 5u);
    std::set<std::string> all;
    std::optional<std::string> after = str(first, "next");
    for (const auto& nick : nicksIn(first, "users")) all.insert(nick);
    while (after) {
        eve.sendText(R"({"type":"users","limit":2,"after":")" + *after + R"("})");
        json::Value page = eve.waitFor("users");
        for (const auto& nick : nicksIn(page, "users")) all.insert(nick);
        after = page.find("next") ? std::optional<std::string>(str(page, "next")) : std::nullopt;
    }
    EXPECT_EQ(all, (std::set<std::string>{"ann", "Bob", "cy", "Dan", "eve"}));
}

}  // namespace
}  // namespace chatd::testing
