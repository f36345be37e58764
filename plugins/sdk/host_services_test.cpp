// The SDK's 0.2 host services (Host: sessionInfo, findSession, post, kick,
// disconnect, notice, metricAdd/metricSet, stateDir; Message::origin)
// against the fake host, and what they do with a 0.1 daemon (absent:
// false / nullopt / "").
#include <chatd/plugin.hpp>
#include <chatd/testing/fake_host.hpp>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

using chatd::sdk::CloseCode;
using chatd::sdk::Host;
using chatd::sdk::testing::FakeHost;
using chatd::sdk::testing::FakeSession;

namespace {

// Runs the test's `body` with its Host inside a hook (on_control), the
// way a plugin calls services; answers "true"/"false" as the body says.
class ServiceUser : public chatd::sdk::Plugin {
public:
    static inline std::function<bool(const Host&, const std::vector<std::string>&)> body;

    std::string onControl(std::string_view, const std::vector<std::string>& args) override {
        return body(host(), args) ? "true" : "false";
    }
    chatd::sdk::Verdict onMessage(chatd::sdk::Message& msg) override {
        origin = std::string(msg.origin());
        return chatd::sdk::Verdict::pass();
    }
    void init(const YAML::Node&) override { state_dir = host().stateDir(); }

    static inline std::string origin;
    static inline std::string state_dir;
};

// Calls `body` from inside the plugin's on_control hook.
bool run(FakeHost& host, std::function<bool(const Host&, const std::vector<std::string>&)> body) {
    ServiceUser::body = std::move(body);
    const auto out = host.control("run");
    EXPECT_FALSE(out.failed) << out.error;
    return out.json == "true";
}

FakeHost started() {
    FakeHost host = FakeHost::of<ServiceUser>("bot");
    host.init();
    return host;
}

TEST(SdkServices, SessionInfoReturnsTheFactsOrNothing) {
    FakeHost host = started();
    host.addSession({.session_id = 7,
                     .session = "s7",
                     .nick = "Bob",
                     .room = "lobby",
                     .address = "::1",
                     .mode = "raw",
                     .connected_ms = 1700000000000,
                     .claims_json = R"({"sub":"bob"})"});
    std::optional<chatd::sdk::SessionInfo> info;
    EXPECT_TRUE(run(host, [&](const Host& h, auto&) { return (info = h.sessionInfo(7)).has_value(); }));
    EXPECT_EQ(info->session, "s7");
    EXPECT_EQ(info->nick, "Bob");
    EXPECT_EQ(info->room, "lobby");
    EXPECT_EQ(info->address, "::1");
    EXPECT_EQ(info->mode, "raw");
    EXPECT_EQ(info->connected_ms, 1700000000000);
    EXPECT_EQ(info->claims_json, R"({"sub":"bob"})");

    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.sessionInfo(8).has_value(); }));
    host.removeSession(7);
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.sessionInfo(7).has_value(); }));
}

TEST(SdkServices, FindSessionComparesNicksCaseInsensitivelyWithinTheRoom) {
    FakeHost host = started();
    host.addSession({.session_id = 7, .nick = "Bob", .room = "lobby"});
    std::optional<std::uint64_t> id;
    EXPECT_TRUE(run(host, [&](const Host& h, auto&) { return (id = h.findSession("lobby", "bOB")).has_value(); }));
    EXPECT_EQ(*id, 7u);
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.findSession("other", "bob").has_value(); }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.findSession("lobby", "bobby").has_value(); }));
}

TEST(SdkServices, JoinAndLeaveKeepTheSessionTableAsTheDaemonWould) {
    FakeHost host = started();
    host.join({.session_id = 3, .session = "s3", .room = "dev", .nick = "carol"});
    EXPECT_TRUE(run(host, [](const Host& h, auto&) { return h.findSession("dev", "carol") == 3u; }));
    host.leave({.session_id = 3, .session = "s3", .room = "dev", .nick = "carol"});
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.findSession("dev", "carol").has_value(); }));
    EXPECT_TRUE(run(host, [](const Host& h, auto&) { return h.sessionInfo(3)->room.empty(); }));
}

TEST(SdkServices, PostIsRecordedAndInvalidPostsAreRefused) {
    FakeHost host = started();
    EXPECT_TRUE(run(host, [](const Host& h, auto&) { return h.post("lobby", "bot", "hello all"); }));
    ASSERT_EQ(host.posts().size(), 1u);
    EXPECT_EQ(host.posts()[0].room, "lobby");
    EXPECT_EQ(host.posts()[0].from, "bot");
    EXPECT_EQ(host.posts()[0].text, "hello all");

    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.post("lobby", "bot", ""); }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.post("lobby", "", "x"); }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.post("", "bot", "x"); }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.post("lobby", "bot", "\xff"); }));
    EXPECT_EQ(host.posts().size(), 1u);

    host.refusePosts();  // as beyond the daemon's post rate
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.post("lobby", "bot", "again"); }));
    host.refusePosts(false);
    EXPECT_TRUE(run(host, [](const Host& h, auto&) { return h.post("lobby", "bot", "again"); }));
    EXPECT_EQ(host.posts().size(), 2u);
}

TEST(SdkServices, KickDisconnectAndNoticeAreRecorded) {
    FakeHost host = started();
    EXPECT_TRUE(run(host, [](const Host& h, auto&) { return h.kick(7, "lobby", "spam"); }));
    EXPECT_TRUE(run(host, [](const Host& h, auto&) { return h.disconnect(7, CloseCode::Banned, "go away"); }));
    EXPECT_TRUE(run(host, [](const Host& h, auto&) { return h.disconnect(8, CloseCode::Disconnected, ""); }));
    EXPECT_TRUE(run(host, [](const Host& h, auto&) { return h.notice(7, "you were warned"); }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.kick(7, "lobby", "\xc3"); }));

    ASSERT_EQ(host.kicks().size(), 1u);
    EXPECT_EQ(host.kicks()[0].session_id, 7u);
    EXPECT_EQ(host.kicks()[0].room, "lobby");
    EXPECT_EQ(host.kicks()[0].reason, "spam");
    ASSERT_EQ(host.disconnects().size(), 2u);
    EXPECT_EQ(host.disconnects()[0].code, CloseCode::Banned);
    EXPECT_EQ(host.disconnects()[0].reason, "go away");
    EXPECT_EQ(host.disconnects()[1].code, CloseCode::Disconnected);
    ASSERT_EQ(host.notices().size(), 1u);
    EXPECT_EQ(host.notices()[0].text, "you were warned");
    EXPECT_EQ(host.replies().size(), 1u);  // notice and reply are one service
}

TEST(SdkServices, DisconnectRefusesOtherCloseCodes) {
    FakeHost host = started();
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.disconnect(7, static_cast<CloseCode>(1000), "x"); }));
    EXPECT_TRUE(host.disconnects().empty());
}

TEST(SdkServices, MetricsAddUpSetAndRefuseBadNames) {
    FakeHost host = started();
    EXPECT_TRUE(run(host, [](const Host& h, auto&) {
        return h.metricAdd("posts", "lobby", 1) && h.metricAdd("posts", "lobby", 2) && h.metricSet("queue", "", 5) &&
               h.metricSet("queue", "", 3);
    }));
    EXPECT_EQ(host.metric("posts", "lobby"), 3.0);
    EXPECT_EQ(host.metric("queue"), 3.0);
    EXPECT_EQ(host.metric("absent"), std::nullopt);
    EXPECT_EQ(host.metricCalls().size(), 4u);

    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.metricAdd("Posts", "", 1); }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.metricAdd("", "", 1); }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.metricAdd(std::string(65, 'a'), "", 1); }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.metricSet("x", std::string(129, 'a'), 1); }));
}

TEST(SdkServices, AtMostAThousandSeriesPerInstance) {
    FakeHost host = started();
    EXPECT_TRUE(run(host, [](const Host& h, auto&) {
        bool all = true;
        for (int i = 0; i < 1000; ++i) all = all && h.metricAdd("per_room", "room" + std::to_string(i), 1);
        return all;
    }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.metricAdd("per_room", "one_more", 1); }));
    EXPECT_TRUE(run(host, [](const Host& h, auto&) { return h.metricAdd("per_room", "room7", 1); }));
}

TEST(SdkServices, MessageOriginAndStateDir) {
    FakeHost host = FakeHost::of<ServiceUser>("bot");
    host.setStateDir("/var/lib/chatd");
    host.init();
    EXPECT_EQ(ServiceUser::state_dir, "/var/lib/chatd");
    EXPECT_TRUE(run(host, [](const Host& h, auto&) { return h.has02Services(); }));
    host.send("hi", {.origin = "plugin"});
    EXPECT_EQ(ServiceUser::origin, "plugin");
    host.send("hi");
    EXPECT_EQ(ServiceUser::origin, "");
}

TEST(SdkServices, AChatd01DaemonLacksThemAndThePluginStillRuns) {
    FakeHost host = FakeHost::of<ServiceUser>("bot");
    host.setStateDir("/var/lib/chatd");
    host.emulateChatd01();
    host.init();
    host.addSession({.session_id = 7, .nick = "bob", .room = "lobby"});
    EXPECT_EQ(ServiceUser::state_dir, "");
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.has02Services(); }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.sessionInfo(7).has_value(); }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.findSession("lobby", "bob").has_value(); }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.post("lobby", "bot", "x"); }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.kick(7, "lobby", ""); }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.disconnect(7, CloseCode::Disconnected, ""); }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.metricAdd("x", "", 1); }));
    EXPECT_FALSE(run(host, [](const Host& h, auto&) { return h.metricSet("x", "", 1); }));
    EXPECT_TRUE(host.posts().empty() && host.kicks().empty() && host.disconnects().empty());
    EXPECT_TRUE(host.metricCalls().empty());

    // notice falls back on reply, which 0.1 had; origin reads as a member's.
    EXPECT_TRUE(run(host, [](const Host& h, auto&) { return h.notice(7, "still here"); }));
    EXPECT_EQ(host.replies().size(), 1u);
    host.send("hi", {.origin = "admin"});
    EXPECT_EQ(ServiceUser::origin, "");
}

TEST(SdkServices, ClearRecordsForgetsEverythingButTheSessions) {
    FakeHost host = started();
    host.addSession({.session_id = 7, .nick = "bob", .room = "lobby"});
    run(host, [](const Host& h, auto&) {
        return h.post("lobby", "bot", "x") && h.kick(7, "lobby", "") && h.metricAdd("n", "", 1) && h.notice(7, "x");
    });
    host.clearRecords();
    EXPECT_TRUE(host.posts().empty() && host.kicks().empty() && host.replies().empty());
    EXPECT_TRUE(host.metricCalls().empty());
    EXPECT_EQ(host.metric("n"), std::nullopt);
    EXPECT_TRUE(run(host, [](const Host& h, auto&) { return h.sessionInfo(7).has_value(); }));
}

}  // namespace
