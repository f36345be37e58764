// Pipeline behaviour with the probe test plugin: order, replaced text,
// drop/reject and who decided, on_error continue/drop, session events,
// replies, verdict observers, counters, per-instance serialisation, reload
// hand-over and shutdown order.
#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <thread>

#include "test_support.h"

namespace chatd::plugin_host {
namespace {

using namespace testing;
using config::OnError;

TEST(PipelineRun, PluginsRunInYamlOrderAndSeeReplacedText) {
    auto pipeline = mustBuild({probe("a", "{append: A}"), probe("b", "{append: B}"), probe("c", "{append: C}")});
    EXPECT_EQ(pipeline->names(), (std::vector<std::string>{"a", "b", "c"}));
    auto msg = message("hi");
    const Verdict v = pipeline->onMessage(msg);
    EXPECT_EQ(v.kind, VerdictKind::Continue);
    EXPECT_EQ(v.plugin, "");
    EXPECT_EQ(msg.text, "hiABC");
}

TEST(PipelineRun, DropStopsThePipelineAndNamesThePlugin) {
    auto pipeline = mustBuild({probe("a", "{drop_if: spam}"), probe("b", "{append: B}")});
    auto msg = message("spam!");
    const Verdict v = pipeline->onMessage(msg);
    EXPECT_EQ(v.kind, VerdictKind::Drop);
    EXPECT_EQ(v.plugin, "a");
    EXPECT_EQ(msg.text, "spam!");
    EXPECT_EQ(pipeline->stats()[1].messages, 0u);  // b never saw it
}

TEST(PipelineRun, RejectCarriesCodeAndReason) {
    auto pipeline = mustBuild({probe("a", "{append: A}"), probe("b", "{reject_if: bad, reason: 'no bad words'}")});
    auto msg = message("bad");
    const Verdict v = pipeline->onMessage(msg);
    EXPECT_EQ(v.kind, VerdictKind::Reject);
    EXPECT_EQ(v.code, "rejected");
    EXPECT_EQ(v.reason, "no bad words");
    EXPECT_EQ(v.plugin, "b");
}

TEST(PipelineRun, RejectCodeIsOneOfTheProtocolsAndReasonNeverEmpty) {
    auto limited = mustBuild({probe("rl", "{reject_if: x, code: rate_limited, reason: slow}")});
    auto msg = message("x");
    EXPECT_EQ(limited->onMessage(msg).code, "rate_limited");

    auto odd = mustBuild({probe("odd", "{reject_if: x, code: banana}")});
    msg = message("x");
    const Verdict v = odd->onMessage(msg);
    EXPECT_EQ(v.code, "rejected");
    EXPECT_EQ(v.reason, "message rejected by odd");
}

TEST(PipelineRun, ThrowingPluginWithOnErrorContinue) {
    LogCapture log;
    auto pipeline =
        mustBuild({probe("a", "{throw_if: boom, append: A}", OnError::Continue), probe("b", "{append: B}")});
    auto msg = message("boom");
    const Verdict v = pipeline->onMessage(msg);
    EXPECT_EQ(v.kind, VerdictKind::Continue);
    EXPECT_EQ(msg.text, "boomB");  // a's half-done change was undone, b still ran
    EXPECT_EQ(pipeline->stats()[0].errors, 1u);
    EXPECT_TRUE(log.contains("[a] error: on_message failed: probe exploded; message passed on (on_error: continue)"));
}

TEST(PipelineRun, ThrowingPluginWithOnErrorDrop) {
    LogCapture log;
    auto pipeline = mustBuild({probe("a", "{throw_if: boom}", OnError::Drop), probe("b", "{append: B}")});
    auto msg = message("boom");
    const Verdict v = pipeline->onMessage(msg);
    EXPECT_EQ(v.kind, VerdictKind::Drop);
    EXPECT_EQ(v.plugin, "a");
    EXPECT_EQ(msg.text, "boom");
    EXPECT_EQ(pipeline->stats()[0].errors, 1u);
    EXPECT_EQ(pipeline->stats()[0].dropped, 1u);
    EXPECT_TRUE(log.contains("[a] error: on_message failed: probe exploded; message dropped (on_error: drop)"));

    auto fine = message("fine");
    EXPECT_EQ(pipeline->onMessage(fine).kind, VerdictKind::Continue);  // only failures are dropped
}

TEST(PipelineRun, HookErrorsAreLoggedRateLimitedButAllCounted) {
    LogCapture log;
    auto pipeline = mustBuild({probe("a", "{throw_if: boom}")});
    for (int i = 0; i < 200; ++i) {
        auto msg = message("boom");
        pipeline->onMessage(msg);
    }
    EXPECT_EQ(pipeline->stats()[0].errors, 200u);
    EXPECT_LT(log.count("on_message failed"), 5u);  // one per second at most
    EXPECT_GE(log.count("on_message failed"), 1u);
}

TEST(PipelineRun, InvalidUtf8ReplacementIsRefused) {
    LogCapture log;
    auto pipeline = mustBuild({probe("a", "{bad_utf8_if: x}")});
    auto msg = message("x");
    EXPECT_EQ(pipeline->onMessage(msg).kind, VerdictKind::Continue);
    EXPECT_EQ(msg.text, "x");
    EXPECT_TRUE(log.contains("on_message failed: the daemon refused the replaced text"));
}

TEST(PipelineRun, RepliesGoToTheSenderWithThePluginsName) {
    Replies replies;
    auto pipeline = mustBuild({probe("echo", "{reply: true}")}, &replies);
    auto msg = message("hi", 42);
    pipeline->onMessage(msg);
    ASSERT_EQ(replies.all().size(), 1u);
    EXPECT_EQ(replies.all()[0].session_id, 42u);
    EXPECT_EQ(replies.all()[0].plugin, "echo");
    EXPECT_EQ(replies.all()[0].text, "echo saw hi");
}

TEST(PipelineRun, JoinAndLeaveReachEveryPluginEvenAfterAFailure) {
    LogCapture log;
    Replies replies;
    auto pipeline = mustBuild({probe("a", "{throw_on_join: true}"), probe("b", "{greet: true}")}, &replies);
    pipeline->onJoin({9, "s-9", "dev", "bob"});
    pipeline->onLeave({9, "s-9", "dev", "bob"});
    EXPECT_EQ(replies.texts(), (std::vector<std::string>{"welcome bob to dev"}));
    EXPECT_EQ(replies.all()[0].session_id, 9u);
    EXPECT_TRUE(log.contains("[a] error: on_join failed: join exploded; ignored"));
    EXPECT_TRUE(log.contains("[b] info: left: bob (s-9)"));
    EXPECT_EQ(pipeline->stats()[0].errors, 1u);
}

TEST(PipelineRun, ObserversSeeTheFinalVerdictWhereverTheyAre) {
    Replies replies;
    auto pipeline = mustBuild(
        {probe("watch", "{observe: true}"), probe("b", "{append: B, reject_if: bad, reason: nope}")}, &replies);
    auto ok = message("hi");
    pipeline->onMessage(ok);
    auto bad = message("bad");
    pipeline->onMessage(bad);
    EXPECT_EQ(replies.texts(),
              (std::vector<std::string>{"verdict continue by '' text 'hiB'", "verdict reject by 'b' text 'bad'"}));
}

TEST(PipelineRun, CountersPerPlugin) {
    auto pipeline = mustBuild({probe("a", "{drop_if: d}"), probe("b", "{reject_if: r}")});
    for (const char* text : {"ok", "d", "r", "ok"}) {
        auto msg = message(text);
        pipeline->onMessage(msg);
    }
    const auto stats = pipeline->stats();
    EXPECT_EQ(stats[0].name, "a");
    EXPECT_EQ(stats[0].messages, 4u);
    EXPECT_EQ(stats[0].continued, 3u);
    EXPECT_EQ(stats[0].dropped, 1u);
    EXPECT_EQ(stats[1].messages, 3u);
    EXPECT_EQ(stats[1].continued, 2u);
    EXPECT_EQ(stats[1].rejected, 1u);
    EXPECT_EQ(stats[1].errors, 0u);
    EXPECT_GT(stats[0].hook_ns, 0u);
}

// The probe throws if two of its hooks overlap (it spins inside the hook to
// widen the window); threads started together must never make that happen,
// and every message must be counted.
TEST(PipelineRun, HooksOfOneInstanceNeverRunConcurrently) {
    auto pipeline = mustBuild({probe("a", "{append: A, spin: 200}"), probe("b", "{spin: 200}")});
    constexpr int kThreads = 4, kMessages = 5000;
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            start.arrive_and_wait();
            for (int i = 0; i < kMessages; ++i) {
                auto msg = message("m", static_cast<std::uint64_t>(t));
                pipeline->onMessage(msg);
                if (i % 100 == 0) pipeline->onJoin({static_cast<std::uint64_t>(t), "s", "r", "n"});
            }
        });
    }
    for (auto& th : threads) th.join();
    for (const auto& s : pipeline->stats()) {
        EXPECT_EQ(s.errors, 0u) << s.name;
        EXPECT_EQ(s.messages, static_cast<std::uint64_t>(kThreads * kMessages)) << s.name;
        EXPECT_EQ(s.continued, static_cast<std::uint64_t>(kThreads * kMessages)) << s.name;
    }
}

TEST(PipelineRun, ReloadHandsStateOverToTheNewInstance) {
    LogCapture log;
    Replies replies;
    auto old_pipeline = mustBuild({probe("counter", "{count: true}")}, &replies);
    for (int i = 0; i < 3; ++i) {
        auto msg = message("x");
        old_pipeline->onMessage(msg);
    }
    auto new_pipeline = mustBuild({probe("counter", "{count: true, append: '!'}")}, &replies, old_pipeline.get());
    EXPECT_TRUE(log.contains("[counter] info: reloaded, carrying 3 message(s)"));
    auto count = message("/count");
    new_pipeline->onMessage(count);
    EXPECT_EQ(replies.texts().back(), "count 4");
    EXPECT_EQ(count.text, "/count!");  // the new config applies

    // The old pipeline keeps working for messages still in flight.
    auto late = message("late");
    EXPECT_EQ(old_pipeline->onMessage(late).kind, VerdictKind::Continue);
    EXPECT_EQ(late.text, "late");
}

TEST(PipelineRun, NoHandOverToADifferentEntryOrFile) {
    Replies replies;
    auto old_pipeline = mustBuild({probe("counter", "{count: true}")}, &replies);
    auto msg = message("x");
    old_pipeline->onMessage(msg);
    auto renamed = mustBuild({probe("other", "{count: true}")}, &replies, old_pipeline.get());
    auto count = message("/count");
    renamed->onMessage(count);
    EXPECT_EQ(replies.texts().back(), "count 1");
}

TEST(PipelineRun, ShutdownRunsInReverseOrderWhenThePipelineGoes) {
    LogCapture log;
    {
        auto pipeline = mustBuild({probe("a"), probe("b")});
        auto msg = message("x");
        pipeline->onMessage(msg);
    }
    const auto lines = log.lines();
    const auto a = std::find(lines.begin(), lines.end(), "[a] info: shutdown after 1 message(s)");
    const auto b = std::find(lines.begin(), lines.end(), "[b] info: shutdown after 1 message(s)");
    ASSERT_NE(a, lines.end());
    ASSERT_NE(b, lines.end());
    EXPECT_LT(b, a);
}

}  // namespace
}  // namespace chatd::plugin_host
