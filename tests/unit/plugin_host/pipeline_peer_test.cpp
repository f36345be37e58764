// Plugins across instances: the broadcast service hands a payload to the
// daemon (PluginActions::broadcast) under the entry's name and reports
// whether it went (not when rooms are not shared, nor over 64 KiB); a peer's
// payload reaches the named entry's on_peer_message on the pipeline's
// delivery thread, never another entry; a failing peer hook is counted.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "chatd/plugin_abi.h"
#include "test_support.h"

namespace chatd::plugin_host {
namespace {

using namespace testing;
using namespace std::chrono_literals;

TEST(PipelinePeer, BroadcastGoesToTheDaemonUnderTheEntryName) {
    FakeActions actions;
    auto pipeline = mustBuild({entry("mod", "~", "actor.so")}, &actions);
    EXPECT_EQ(pipeline->control("mod", "broadcast", R"(["ban","bob"])").json, "true");
    actions.setSharing(false);  // Redis down or no Redis bus
    EXPECT_EQ(pipeline->control("mod", "broadcast", R"(["x"])").json, "false");
    const auto sent = actions.broadcasts();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[0].first, "mod");
    EXPECT_EQ(sent[0].second, R"(["ban","bob"])");
}

TEST(PipelinePeer, ABroadcastOver64KiBIsRefused) {
    FakeActions actions;
    auto pipeline = mustBuild({entry("mod", "~", "actor.so")}, &actions);
    const std::string big = "[\"" + std::string(CHATD_BROADCAST_MAX_BYTES, 'x') + "\"]";
    EXPECT_EQ(pipeline->control("mod", "broadcast", big).json, "false");
    EXPECT_TRUE(actions.broadcasts().empty());
}

TEST(PipelinePeer, APeersPayloadReachesTheNamedEntryOnly) {
    FakeActions actions;
    auto pipeline = mustBuild({entry("one", "~", "actor.so"), entry("two", "~", "actor.so")}, &actions);
    pipeline->onPeerMessage("instance-b", "two", R"(["hello"])");
    pipeline->onPeerMessage("instance-b", "two", R"(["again"])");
    pipeline->onPeerMessage("instance-b", "nobody", R"(["lost"])");
    ASSERT_TRUE(
        eventually([&] { return pipeline->control("two", "peers", "[]").json.find("again") != std::string::npos; }));
    EXPECT_EQ(pipeline->control("two", "peers", "[]").json, R"(["instance-b ['hello']","instance-b ['again']"])");
    EXPECT_EQ(pipeline->control("one", "peers", "[]").json, "[]");
}

TEST(PipelinePeer, AFailingPeerHookIsCountedAndLogged) {
    LogCapture logs;
    FakeActions actions;
    auto pipeline = mustBuild({entry("mod", "{fail: [on_peer_message]}", "actor.so")}, &actions);
    pipeline->onPeerMessage("instance-b", "mod", "[]");
    ASSERT_TRUE(eventually([&] { return pipeline->stats()[0].errors == 1; }));
    EXPECT_TRUE(logs.contains("on_peer_message failed: peer hook broke"));
}

TEST(PipelinePeer, APipelineWithPayloadsQueuedShutsDown) {
    FakeActions actions;
    auto pipeline = mustBuild({entry("mod", "~", "actor.so")}, &actions);
    for (int i = 0; i < 100; ++i) pipeline->onPeerMessage("b", "mod", "[]");
    pipeline.reset();  // joins the delivery thread before the shutdown, dropping the rest
    SUCCEED();
}

}  // namespace
}  // namespace chatd::plugin_host
