// The host services appended in chatd 0.2, called by the actor test plugin
// through the real Pipeline, with a FakeActions recording what reaches the
// daemon: message_origin, session_info, find_session, post (and its limit
// against post loops), kick, disconnect, notice and the custom metrics on
// the /metrics exposition. Without actions (chatd --check) acting fails.
#include <gtest/gtest.h>

#include "metrics/daemon_metrics.h"
#include "metrics/text_encoder.h"
#include "plugin_host/host_services.h"
#include "test_support.h"

namespace chatd::plugin_host {
namespace {

using namespace testing;

config::PluginEntry actor(const std::string& name, const std::string& yaml) { return entry(name, yaml, "actor.so"); }

// One message from session 1 (alice in lobby).
void send(Pipeline& pipeline, const std::string& text, std::string_view origin = "") {
    MessageContext msg{1, "s1", "lobby", "alice", text, origin};
    pipeline.onMessage(msg);
}

SessionFacts alice() { return SessionFacts{1, "s1", "alice", "lobby", "10.0.0.1", "json", 1700000000000, ""}; }

TEST(HostServices, MessageOriginIsShown) {
    FakeActions actions;
    auto pipeline = mustBuild({actor("o", "{echo_origin: true}")}, &actions);
    send(*pipeline, "hi");
    send(*pipeline, "hi", "plugin");
    send(*pipeline, "hi", "admin");
    EXPECT_EQ(actions.texts(), (std::vector<std::string>{"origin ", "origin plugin", "origin admin"}));
    EXPECT_EQ(actions.all()[0].plugin, "o");
    EXPECT_EQ(actions.all()[0].session_id, 1u);
}

TEST(HostServices, SessionInfoAndFindSessionAskTheDaemon) {
    FakeActions actions;
    auto pipeline = mustBuild({actor("i", "{info: true, find: true}")}, &actions);
    send(*pipeline, "info");
    actions.addSession(alice());
    actions.addSession(SessionFacts{5, "s5", "bob", "lobby", "10.0.0.2", "raw", 1, ""});
    send(*pipeline, "info");
    send(*pipeline, "find bob");
    send(*pipeline, "find carol");
    EXPECT_EQ(actions.texts(), (std::vector<std::string>{"no info", "info s1 alice lobby 10.0.0.1 json 1700000000000",
                                                         "found 5", "not found"}));
}

TEST(HostServices, KickAndDisconnectAreQueuedWithThePluginsName) {
    FakeActions actions;
    auto pipeline = mustBuild({actor("bouncer", "{kick: true}")}, &actions);
    send(*pipeline, "kick me");
    send(*pipeline, "ban me");
    send(*pipeline, "bye");  // code 4999: refused
    ASSERT_EQ(actions.kicks().size(), 1u);
    EXPECT_EQ(actions.kicks()[0].session_id, 1u);
    EXPECT_EQ(actions.kicks()[0].room, "lobby");
    EXPECT_EQ(actions.kicks()[0].reason, "you asked");
    EXPECT_EQ(actions.kicks()[0].by, "bouncer");
    ASSERT_EQ(actions.disconnects().size(), 1u);
    EXPECT_EQ(actions.disconnects()[0].code, 4003);
    EXPECT_EQ(actions.disconnects()[0].reason, "banned");
    EXPECT_EQ(actions.texts(), (std::vector<std::string>{"code refused"}));
}

TEST(HostServices, APostLoopIsCutByTheInstancesBucket) {
    LogCapture logs;
    FakeActions actions;
    auto pipeline = mustBuild({actor("looper", "{posts_per_message: 150}")}, &actions);
    send(*pipeline, "again");
    const auto posts = actions.posts();
    ASSERT_GE(posts.size(), 100u);
    EXPECT_LE(posts.size(), 102u);  // the burst, plus what refilled meanwhile
    EXPECT_EQ(posts[0].plugin, "looper");
    EXPECT_EQ(posts[0].origin, PostOrigin::Plugin);
    EXPECT_EQ(posts[0].room, "lobby");
    EXPECT_EQ(posts[0].from, "looper");
    EXPECT_EQ(posts[0].text, "again");
    EXPECT_EQ(pipeline->stats()[0].posts_refused, 150u - posts.size());
    EXPECT_EQ(logs.count("post refused: more than 20 posts a second"), 1u) << logs.all();  // rate-limited
}

TEST(HostServices, APostTheDaemonRefusesFails) {
    LogCapture logs;
    FakeActions actions;
    actions.failPosts("room name not allowed");
    auto pipeline = mustBuild({actor("p", "{posts_per_message: 1}")}, &actions);
    send(*pipeline, "x");
    EXPECT_TRUE(logs.contains("post to 'lobby' refused: room name not allowed")) << logs.all();
}

TEST(HostServices, WithoutActionsTheActingServicesFail) {
    auto pipeline = mustBuild({actor("p", "{kick: true, info: true, posts_per_message: 1}")});
    send(*pipeline, "bye");  // nothing to record, nothing crashes
    send(*pipeline, "info");
    EXPECT_EQ(pipeline->stats()[0].errors, 0u);
}

TEST(HostServices, CustomMetricsAreExportedByEntryNameAndSurviveAReload) {
    metrics::Registry registry;
    metrics::DaemonMetrics daemon_metrics(registry);
    FakeActions actions;
    auto pipeline =
        mustBuild({actor("counter", "{count_metric: true}")}, &actions, nullptr, kTestPluginDir, &daemon_metrics);
    send(*pipeline, "a");
    send(*pipeline, "bad metric");
    EXPECT_EQ(actions.texts(), (std::vector<std::string>{"bad metrics refused"}));
    auto reloaded = mustBuild({actor("counter", "{count_metric: true}")}, &actions, pipeline.get(), kTestPluginDir,
                              &daemon_metrics);
    pipeline.reset();
    send(*reloaded, "b");
    const std::string text = metrics::encodeText(registry.collect());
    EXPECT_NE(text.find("chatd_plugin_custom{plugin=\"counter\",name=\"messages\",label=\"lobby\"} 3"),
              std::string::npos)
        << text;
}

TEST(HostServices, CustomMetricsKeepTheirRules) {
    CustomMetrics custom("p", nullptr);
    EXPECT_TRUE(custom.add("ok_1", "", 1));
    EXPECT_FALSE(custom.add("", "", 1));
    EXPECT_FALSE(custom.add(std::string(65, 'a'), "", 1));
    EXPECT_FALSE(custom.set("Upper", "", 1));
    EXPECT_TRUE(custom.set("ok", std::string(128, 'x'), 1));
    EXPECT_FALSE(custom.set("ok", std::string(129, 'x'), 1));
    for (std::size_t i = custom.seriesCount(); i < kMaxCustomSeries; ++i)
        EXPECT_TRUE(custom.set("many", std::to_string(i), 1));
    EXPECT_FALSE(custom.set("many", "one too many", 1));
    EXPECT_TRUE(custom.add("ok_1", "", 1));  // an existing series still counts
}

}  // namespace
}  // namespace chatd::plugin_host
