// The pipeline's timer thread: on_tick runs every `tick:`, posting through
// the daemon; a failing tick is counted and logged; a blocking tick stalls
// neither the message hooks of the instance (they give up after the bounded
// lock wait, under on_error) nor the pipeline's destruction beyond the tick
// itself; missed ticks are skipped, not queued.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "plugin_host/plugin_instance.h"
#include "test_support.h"

namespace chatd::plugin_host {
namespace {

using namespace testing;
using namespace std::chrono_literals;
using config::OnError;

config::PluginEntry ticking(const std::string& name, const std::string& yaml, std::chrono::milliseconds every,
                            OnError on_error = OnError::Continue) {
    auto e = entry(name, yaml, "actor.so", on_error);
    e.tick = every;
    return e;
}

TEST(PipelineTick, TicksPostIntoTheRoom) {
    FakeActions actions;
    auto pipeline = mustBuild({ticking("clock", "{tick_post: lobby}", 100ms)}, &actions);
    ASSERT_TRUE(eventually([&] { return actions.posts().size() >= 2; }));
    pipeline.reset();  // stops the timer before the shutdown
    const auto posts = actions.posts();
    EXPECT_EQ(posts[0].room, "lobby");
    EXPECT_EQ(posts[0].from, "ticker");
    EXPECT_EQ(posts[0].text, "tick 1");
    EXPECT_EQ(posts[1].text, "tick 2");
    EXPECT_EQ(posts[0].plugin, "clock");
}

TEST(PipelineTick, NoTickKeyNoTicks) {
    FakeActions actions;
    auto pipeline = mustBuild({entry("bot", "{tick_post: lobby}", "actor.so")}, &actions);
    std::this_thread::sleep_for(250ms);  // a tick would have come by now (none is due)
    EXPECT_TRUE(actions.posts().empty());
    EXPECT_EQ(pipeline->stats()[0].ticks, 0u);
}

TEST(PipelineTick, AFailingTickIsCountedAndLogged) {
    LogCapture logs;
    auto pipeline = mustBuild({ticking("broken", "{fail: [on_tick]}", 100ms)});
    ASSERT_TRUE(eventually([&] { return pipeline->stats()[0].errors >= 1; }));
    EXPECT_TRUE(logs.contains("on_tick failed: tick broke; ignored")) << logs.all();
}

TEST(PipelineTick, ABlockingTickDoesNotStallTheMessageHooks) {
    LogCapture logs;
    auto pipeline = mustBuild({ticking("slow", "{tick_block_ms: 700, echo_origin: true}", 100ms, OnError::Drop),
                               probe("next", "{append: '!'}")});
    ASSERT_TRUE(eventually([&] { return pipeline->stats()[0].ticks >= 1; }));  // the tick is running now
    const auto start = std::chrono::steady_clock::now();
    auto msg = message("hi");
    const Verdict verdict = pipeline->onMessage(msg);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_LT(took, 500ms);                      // the bounded lock wait (100 ms), not the tick's 700 ms
    EXPECT_EQ(verdict.kind, VerdictKind::Drop);  // on_error: drop
    EXPECT_EQ(verdict.plugin, "slow");
    EXPECT_GE(pipeline->stats()[0].busy, 1u);
    EXPECT_GE(pipeline->stats()[0].errors, 1u);
    EXPECT_TRUE(logs.contains("on_message failed: instance busy")) << logs.all();

    // While the same tick still runs, the next hooks do not wait again.
    const auto again = std::chrono::steady_clock::now();
    auto next = message("again");
    EXPECT_EQ(pipeline->onMessage(next).kind, VerdictKind::Drop);
    EXPECT_LT(std::chrono::steady_clock::now() - again, 90ms);
    EXPECT_GE(pipeline->stats()[0].busy, 2u);
}

TEST(PipelineTick, ABlockingTickDelaysOnlyItsOwnInstance) {
    FakeActions actions;
    auto pipeline = mustBuild(
        {ticking("stuck", "{tick_block_ms: 1500}", 100ms), ticking("clock", "{tick_post: lobby}", 100ms)}, &actions);
    ASSERT_TRUE(eventually([&] { return actions.posts().size() >= 3; }));
    EXPECT_EQ(pipeline->stats()[0].ticks, 1u);  // still in its first tick
}

TEST(PipelineTick, MissedTicksAreSkippedNotQueued) {
    auto pipeline = mustBuild({ticking("slow", "{tick_block_ms: 350}", 100ms)});
    ASSERT_TRUE(eventually([&] { return pipeline->stats()[0].ticks >= 2; }));
    const PluginStats stats = pipeline->stats()[0];
    EXPECT_GE(stats.ticks_skipped, 2u);  // ~3 due during each 350 ms tick
    pipeline.reset();                    // waits for the running tick, then shuts down
}

TEST(PipelineTick, ThePipelineMayBeReleasedOnAnotherThread) {
    FakeActions actions;
    auto pipeline = mustBuild({ticking("clock", "{tick_post: lobby}", 100ms)}, &actions);
    std::thread releaser([p = std::move(pipeline)]() mutable { p.reset(); });
    releaser.join();
    const auto after = actions.posts().size();
    std::this_thread::sleep_for(250ms);
    EXPECT_EQ(actions.posts().size(), after);  // no tick after the pipeline is gone
}

}  // namespace
}  // namespace chatd::plugin_host
