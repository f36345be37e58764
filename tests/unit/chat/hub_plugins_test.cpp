// The room core with a real plugin pipeline (the probe test plugin,
// tests/plugins/probe.cpp): posts pass the plugins after the poster and
// come out changed or not at all; a kick is a leave the plugins hear of.
#include <gtest/gtest.h>

#include "chat_core.h"
#include "chat_requests.h"
#include "log_capture.h"
#include "test_pipeline.h"

namespace chatd::testing {
namespace {

config::PluginEntry probe(const std::string& name, const std::string& yaml) {
    return testPlugin(name, "probe.so", yaml);
}

chat::PostCommand post(const std::string& text, const std::string& plugin = "announce") {
    return chat::PostCommand{
        .room = "r", .from = "announce", .text = text, .origin = chat::PostOrigin::Plugin, .plugin = plugin};
}

TEST(HubPluginsPost, APostPassesThePluginsWhichMayChangeOrDropIt) {
    ChatCore core;
    core.hub().setPipeline(testPipeline({probe("filter", "{drop_if: spam}"), probe("deco", "{append: ' [deco]'}")}));
    auto alice = core.connect();
    enter(*alice, "r", "alice");
    core.hub().submit(post("buy spam", ""));
    core.hub().submit(post("hello", ""));
    json::Value message = nextOfType(*alice, "message");
    EXPECT_EQ(str(message, "text"), "hello [deco]");
    EXPECT_EQ(uint(message, "seq"), 1u);  // the dropped one took no number
    EXPECT_EQ(str(message, "origin"), "plugin");
}

TEST(HubPluginsKick, TheKickedMembersLeaveIsToldToThePlugins) {
    LogCapture log;  // before the pipeline: plugin loggers are cloned from the default one
    ChatCore core;
    spdlog::set_level(spdlog::level::info);  // the core turned logging down; the plugin logs at info
    core.hub().setPipeline(testPipeline({probe("greeter", "{greet: true}")}));
    auto alice = core.connect();
    enter(*alice, "r", "alice");
    auto bob = core.connect();
    const std::uint64_t bob_id = std::stoull(str(enterSeenBy(*bob, "r", "bob", {alice.get()}), "session"));
    core.hub().submit(chat::KickCommand{.session_id = bob_id, .room = "r", .reason = "", .by = "greeter"});
    EXPECT_EQ(str(nextOfType(*bob, "kicked"), "by"), "greeter");
    EXPECT_TRUE(eventually([&] { return log.contains("left: bob (" + std::to_string(bob_id) + ")"); })) << log.all();
}

}  // namespace
}  // namespace chatd::testing
