// The hooks appended in chatd 0.2, through the real Pipeline with the actor
// test plugin (raw C ABI): on_connect and on_join_request up to the first
// refusal, failing admission hooks under on_error, has*Hooks, control,
// `rooms:` scoping, posts passing only the plugins after the poster, and a
// 0.1-sized plugin table.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "test_support.h"

namespace chatd::plugin_host {
namespace {

using namespace testing;
using config::OnError;

config::PluginEntry actor(const std::string& name, const std::string& yaml = "~",
                          OnError on_error = OnError::Continue) {
    return entry(name, yaml, "actor.so", on_error);
}

ConnectEvent connect(std::string_view path, std::string_view origin = "") {
    return ConnectEvent{"127.0.0.1", origin, path, "json", ""};
}

JoinRequestEvent joinRequest(std::string_view room) { return JoinRequestEvent{7, "s7", room, "bob", "127.0.0.1", ""}; }

TEST(PipelineAdmission, ConnectionsPassEveryPluginUpToTheFirstRefusal) {
    auto pipeline =
        mustBuild({actor("a", "{refuse_connect: evil, reason: 'go away'}"), actor("b", "{refuse_connect: bad}")});
    EXPECT_TRUE(pipeline->hasConnectHooks());
    EXPECT_TRUE(pipeline->onConnect(connect("/ws")).admitted);

    const Admission by_a = pipeline->onConnect(connect("/evil/ws"));
    EXPECT_FALSE(by_a.admitted);
    EXPECT_EQ(by_a.plugin, "a");
    EXPECT_EQ(by_a.reason, "go away");

    const Admission by_b = pipeline->onConnect(connect("/ws", "https://bad.example"));
    EXPECT_FALSE(by_b.admitted);
    EXPECT_EQ(by_b.plugin, "b");
    EXPECT_EQ(by_b.reason, "refused by b");  // no reason given
}

TEST(PipelineAdmission, JoinsAreRefusedForTheConfiguredRoom) {
    auto pipeline = mustBuild({actor("gate", "{refuse_join: vault, reason: 'members only'}")});
    EXPECT_TRUE(pipeline->hasJoinRequestHooks());
    EXPECT_TRUE(pipeline->onJoinRequest(joinRequest("lobby")).admitted);
    const Admission refused = pipeline->onJoinRequest(joinRequest("vault"));
    EXPECT_FALSE(refused.admitted);
    EXPECT_EQ(refused.reason, "members only");
    EXPECT_EQ(refused.plugin, "gate");
}

TEST(PipelineAdmission, NoHooksNoCost) {
    auto pipeline = mustBuild({probe("p"), entry("c_upper")});
    EXPECT_FALSE(pipeline->hasConnectHooks());
    EXPECT_FALSE(pipeline->hasJoinRequestHooks());
    EXPECT_TRUE(pipeline->onConnect(connect("/")).admitted);
    EXPECT_TRUE(pipeline->onJoinRequest(joinRequest("x")).admitted);
}

TEST(PipelineAdmission, FailingHooksFollowOnError) {
    LogCapture logs;
    auto lenient = mustBuild({actor("l", "{fail: [on_connect, on_join_request]}", OnError::Continue)});
    EXPECT_TRUE(lenient->onConnect(connect("/")).admitted);
    EXPECT_TRUE(lenient->onJoinRequest(joinRequest("lobby")).admitted);
    EXPECT_EQ(lenient->stats()[0].errors, 2u);

    auto strict = mustBuild({actor("s", "{fail: [on_connect, on_join_request]}", OnError::Drop)});
    const Admission connect_refused = strict->onConnect(connect("/"));
    EXPECT_FALSE(connect_refused.admitted);
    EXPECT_EQ(connect_refused.reason, "refused by s");
    EXPECT_FALSE(strict->onJoinRequest(joinRequest("lobby")).admitted);
    EXPECT_EQ(strict->stats()[0].errors, 2u);
    EXPECT_TRUE(logs.contains("on_connect failed: connect hook broke; admitted (on_error: continue)")) << logs.all();
    EXPECT_TRUE(logs.contains("on_connect failed: connect hook broke; refused (on_error: drop)")) << logs.all();

    auto joins = mustBuild({actor("j", "{fail: [on_join_request]}", OnError::Drop)});  // its own log throttle
    EXPECT_FALSE(joins->onJoinRequest(joinRequest("lobby")).admitted);
    EXPECT_TRUE(logs.contains("on_join_request failed: join hook broke; refused (on_error: drop)")) << logs.all();
}

TEST(PipelineAdmission, ControlReachesTheNamedPlugin) {
    auto pipeline = mustBuild({actor("bot"), probe("plain")});
    const ControlAnswer echo = pipeline->control("bot", "echo", R"(["a","b"])");
    EXPECT_TRUE(echo.ok);
    EXPECT_EQ(echo.json, R"({"args":["a","b"]})");
    EXPECT_EQ(pipeline->control("bot", "empty", "[]").json, "null");
    EXPECT_EQ(pipeline->control("bot", "state_dir", "[]").json, "\"\"");  // no state_dir given

    const ControlAnswer unknown = pipeline->control("bot", "dance", "[]");
    EXPECT_FALSE(unknown.ok);
    EXPECT_EQ(unknown.error, "unknown command 'dance'");
    EXPECT_EQ(pipeline->control("nobody", "x", "[]").error, "no plugin 'nobody'");
    EXPECT_EQ(pipeline->control("plain", "x", "[]").error, "plugin 'plain' has no commands");

    auto broken = mustBuild({actor("bot", "{fail: [on_control]}")});
    EXPECT_EQ(broken->control("bot", "echo", "[]").error, "control broke");
}

TEST(PipelineAdmission, StateDirGoesIntoInitArgs) {
    FakeActions actions;
    auto pipeline = mustBuild({actor("bot")}, &actions);
    EXPECT_EQ(pipeline->control("bot", "state_dir", "[]").json, "\"/var/lib/chatd-test\"");
}

TEST(PipelineAdmission, RoomsScopeTheRoomHooks) {
    FakeActions actions;
    auto scoped = actor("scoped", "{observe_join: true, echo_origin: true, refuse_join: quiz-1}");
    scoped.rooms = {"lobby", "quiz-*"};
    auto pipeline = mustBuild({scoped, probe("all", "{append: '!'}")}, &actions);

    for (const char* room : {"lobby", "quiz-1", "dev", "quiz"}) {
        MessageContext msg{1, "s1", room, "alice", "hi", ""};
        pipeline->onMessage(msg);
        EXPECT_EQ(msg.text, "hi!");  // the unscoped entry sees every room
        pipeline->onJoin(SessionEvent{2, "s2", room, "bob"});
    }
    EXPECT_EQ(actions.texts(), (std::vector<std::string>{"origin ", "join lobby", "origin ", "join quiz-1"}));
    EXPECT_EQ(pipeline->stats()[0].messages, 2u);
    EXPECT_FALSE(pipeline->onJoinRequest(joinRequest("quiz-1")).admitted);
    EXPECT_TRUE(pipeline->onJoinRequest(joinRequest("dev")).admitted);  // outside the scope: not asked
}

TEST(PipelineAdmission, APostPassesOnlyThePluginsAfterThePoster) {
    auto pipeline = mustBuild({probe("a", "{append: A}"), probe("bot", "{append: B}"), probe("c", "{append: C}")});
    MessageContext post{0, "", "lobby", "ticker", "news", "plugin"};
    pipeline->onMessage(post, "bot");
    EXPECT_EQ(post.text, "newsC");
    MessageContext admin{0, "", "lobby", "admin", "hello", "admin"};
    pipeline->onMessage(admin);
    EXPECT_EQ(admin.text, "helloABC");
    MessageContext orphan{0, "", "lobby", "x", "o", "plugin"};
    pipeline->onMessage(orphan, "gone");  // the poster was removed by a reload: every plugin
    EXPECT_EQ(orphan.text, "oABC");
}

TEST(PipelineAdmission, APluginBuiltFor01LoadsAndItsMissingHooksAreAbsent) {
    auto pipeline = mustBuild({entry("old_abi")});
    EXPECT_FALSE(pipeline->hasConnectHooks());  // the word after its table is a trap that aborts
    EXPECT_TRUE(pipeline->onConnect(connect("/")).admitted);
    auto msg = message("hi");
    pipeline->onMessage(msg);
    EXPECT_EQ(msg.text, "hi (0.1)");
    EXPECT_EQ(pipeline->control("old_abi", "x", "[]").error, "plugin 'old_abi' has no commands");
}

// The plugin the end-to-end tests load (tests/plugins/admission.cpp) does what they expect.
TEST(PipelineAdmission, TheEndToEndAdmissionPlugin) {
    FakeActions actions;
    auto e = entry("admission",
                   "{refuse_word: evil, refuse_room: vault, reason: 'not here', tick_room: lobby, tick_text: hello}");
    e.tick = std::chrono::milliseconds(100);
    auto pipeline = mustBuild({e}, &actions);
    EXPECT_EQ(pipeline->onConnect(connect("/evil")).reason, "not here");
    EXPECT_FALSE(pipeline->onConnect(connect("/", "http://evil.example")).admitted);
    EXPECT_TRUE(pipeline->onConnect(connect("/")).admitted);
    EXPECT_EQ(pipeline->onJoinRequest(joinRequest("vault")).reason, "not here");
    EXPECT_TRUE(pipeline->onJoinRequest(joinRequest("lobby")).admitted);

    MessageContext kick_me{3, "s3", "lobby", "carol", "kick me", ""};
    pipeline->onMessage(kick_me);
    ASSERT_EQ(actions.kicks().size(), 1u);
    EXPECT_EQ(actions.kicks()[0].session_id, 3u);
    EXPECT_EQ(actions.kicks()[0].by, "admission");

    for (int i = 0; i < 1000 && actions.posts().empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_FALSE(actions.posts().empty());
    EXPECT_EQ(actions.posts()[0].text, "hello");
    EXPECT_EQ(actions.posts()[0].from, "ticker");
    EXPECT_EQ(actions.posts()[0].room, "lobby");
}

}  // namespace
}  // namespace chatd::plugin_host
