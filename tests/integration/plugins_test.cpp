// The plugin pipeline end to end, in-process: real plugins (.so files from
// the build), real WebSocket clients. Mask, reject, drop, rate limits,
// replies, a throwing plugin, and transactional reloads.
#include <gtest/gtest.h>

#include <iostream>

#include "test_server.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

config::PluginEntry plugin(const std::string& name, const std::string& yaml,
                           config::OnError on_error = config::OnError::Continue) {
    config::PluginEntry entry;
    entry.name = name;
    entry.config = YAML::Load(yaml);
    entry.on_error = on_error;
    return entry;
}

// A probe from tests/plugins, under its own entry name.
config::PluginEntry probe(const std::string& name, const std::string& yaml,
                          config::OnError on_error = config::OnError::Continue) {
    config::PluginEntry entry = plugin(name, yaml, on_error);
    entry.path = CHATD_TEST_PLUGIN_DIR "/probe.so";
    return entry;
}

void say(WsClient& client, const std::string& text, const std::string& id = "") {
    client.sendText(R"({"type":"message","text":")" + text + (id.empty() ? "" : R"(","id":")" + id) + R"("})");
}

TEST(Plugins, FilterMasksAWordForEveryone) {
    TestServer server([](config::Config& c) { c.plugins = {plugin("filter", "{words: [darn], action: mask}")}; });
    auto alice = joinedClient(server.port(), "alice");
    auto bob = joinedClient(server.port(), "bob");
    say(*alice, "oh DARN it");
    EXPECT_EQ(str(bob->waitFor("message"), "text"), "oh *** it");
    EXPECT_EQ(str(alice->waitFor("message"), "text"), "oh *** it");
}

TEST(Plugins, RejectedMessageReachesNobodyAndTheSenderGetsTheReason) {
    TestServer server([](config::Config& c) {
        c.plugins = {plugin("filter", "{words: [spam], action: reject, reason: no spam here}")};
    });
    auto alice = joinedClient(server.port(), "alice");
    auto bob = joinedClient(server.port(), "bob");
    say(*alice, "buy spam now", "m1");
    json::Value error = alice->waitFor("error");
    EXPECT_EQ(str(error, "code"), "rejected");
    EXPECT_EQ(str(error, "reason"), "no spam here");
    EXPECT_EQ(str(error, "id"), "m1");
    say(*alice, "a fine message");
    json::Value next = bob->waitFor("message");  // the rejected one never came
    EXPECT_EQ(str(next, "text"), "a fine message");
    EXPECT_EQ(uint(next, "seq"), 1u);
}

TEST(Plugins, DroppedMessageVanishes) {
    TestServer server([](config::Config& c) { c.plugins = {plugin("filter", "{words: [psst], action: drop}")}; });
    auto alice = joinedClient(server.port(), "alice");
    auto bob = joinedClient(server.port(), "bob");
    say(*alice, "psst secret");
    say(*alice, "visible");
    for (WsClient* client : {alice.get(), bob.get()}) {
        json::Value next = client->waitFor("message");
        EXPECT_EQ(str(next, "text"), "visible");
        EXPECT_EQ(uint(next, "seq"), 1u);
    }
}

TEST(Plugins, RateLimitRejectsWithItsOwnCode) {
    TestServer server([](config::Config& c) { c.plugins = {plugin("ratelimit", "{rate: 0.001, burst: 2}")}; });
    auto alice = joinedClient(server.port(), "alice");
    for (int i = 0; i < 3; ++i) say(*alice, "m" + std::to_string(i), "id" + std::to_string(i));
    alice->waitFor("message");
    alice->waitFor("message");
    json::Value error = alice->waitFor("error");
    EXPECT_EQ(str(error, "code"), "rate_limited");
    EXPECT_EQ(str(error, "id"), "id2");
}

TEST(Plugins, ReloadIsNoWayRoundTheRateLimit) {
    const auto limited = [](config::Config& c) { c.plugins = {plugin("ratelimit", "{rate: 0.001, burst: 2}")}; };
    TestServer server(limited);
    auto alice = joinedClient(server.port(), "alice");
    say(*alice, "one");
    say(*alice, "two");
    alice->waitFor("message");
    alice->waitFor("message");
    config::Config next = testConfig();
    limited(next);
    ASSERT_TRUE(server.server().reload(next).applied);
    say(*alice, "three", "t");  // the new instance inherited the empty bucket
    EXPECT_EQ(str(alice->waitFor("error"), "code"), "rate_limited");
}

// A bucket belongs to the session, not to the room it is in: leaving a room
// and coming back does not give the burst again.
TEST(Plugins, RoomHoppingDoesNotRefillTheRateLimit) {
    constexpr int kBurst = 3;
    constexpr int kHops = 4;
    TestServer server([](config::Config& c) { c.plugins = {plugin("ratelimit", "{rate: 0.001, burst: 3}")}; });
    auto alice = WsClient::connect(server.port());
    int passed = 0;
    int limited = 0;
    for (int hop = 0; hop <= kHops; ++hop) {
        if (hop > 0) {  // away and back: each join answers with its welcome
            alice->sendText(R"({"type":"join","room":"elsewhere","nick":"alice"})");
            alice->waitFor("welcome");
        }
        alice->sendText(R"({"type":"join","room":"r","nick":"alice"})");
        alice->waitFor("welcome");
        for (int i = 0; i < kBurst; ++i) {
            const std::string id = std::to_string(hop) + "-" + std::to_string(i);
            say(*alice, "hop " + id, id);
            for (;;) {  // the sender's own copy, or the error, of this message
                const json::Value frame = alice->receiveJson();
                const std::string type = str(frame, "type");
                if ((type == "message" || type == "error") && str(frame, "id") == id) {
                    (type == "message" ? passed : limited) += 1;
                    break;
                }
            }
        }
    }
    std::cout << "[ ratelimit ] " << passed << " of " << (kHops + 1) * kBurst << " messages passed, " << limited
              << " rate_limited, over " << kHops << " room hops (burst " << kBurst << ")\n";
    EXPECT_EQ(passed, kBurst);
    EXPECT_EQ(limited, kHops * kBurst);
}

TEST(Plugins, HelloRepliesToTheSenderOnlyWithANotice) {
    TestServer server([](config::Config& c) { c.plugins = {plugin("hello", "{}")}; });
    auto alice = joinedClient(server.port(), "alice");
    auto bob = joinedClient(server.port(), "bob");
    say(*alice, "/hello");
    json::Value notice = alice->waitFor("notice");
    EXPECT_EQ(str(notice, "from"), "hello");
    EXPECT_EQ(str(notice, "text"), "hello, alice!");
    say(*bob, "after");
    EXPECT_EQ(str(bob->waitFor("message"), "text"), "after");  // no "/hello" broadcast
}

TEST(Plugins, ThrowingPluginIsContainedByItsOnErrorPolicy) {
    TestServer server([](config::Config& c) {
        c.plugins = {probe("lenient", "{throw_if: boom}", config::OnError::Continue),
                     probe("strict", "{throw_if: bang}", config::OnError::Drop)};
    });
    auto alice = joinedClient(server.port(), "alice");
    say(*alice, "boom goes through");
    EXPECT_EQ(str(alice->waitFor("message"), "text"), "boom goes through");
    say(*alice, "bang is dropped");
    say(*alice, "and the daemon still serves");
    EXPECT_EQ(str(alice->waitFor("message"), "text"), "and the daemon still serves");
}

TEST(Plugins, ReloadSwapsThePipelineAndABrokenOneKeepsTheOld) {
    TestServer server([](config::Config& c) { c.plugins = {plugin("filter", "{words: [one], action: mask}")}; });
    auto alice = joinedClient(server.port(), "alice");
    config::Config next = testConfig();
    next.plugins = {plugin("filter", "{words: [one, two], action: mask}")};
    ASSERT_TRUE(server.server().reload(next).applied);
    say(*alice, "one two three");
    EXPECT_EQ(str(alice->waitFor("message"), "text"), "*** *** three");

    config::Config broken = testConfig();
    broken.plugins = {plugin("filter", "{words: [three], action: mask}"), probe("bad", "{fail_init: nope}")};
    const auto result = server.server().reload(broken);
    EXPECT_FALSE(result.applied);
    ASSERT_FALSE(result.messages.empty());
    EXPECT_NE(result.messages[0].find("nope"), std::string::npos) << result.messages[0];
    say(*alice, "one two three");
    EXPECT_EQ(str(alice->waitFor("message"), "text"), "*** *** three");  // the old pipeline
}

}  // namespace
}  // namespace chatd::testing
