// Smoke runs of chatd-bench's bigroom mode against the built chatd: the
// fill, the chat, churners and flooders report complete and sane figures,
// and a fill that cannot complete is reported, not fatal.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "bench_run.h"
#include "daemon_fixture.h"

namespace chatd::testing {
namespace {

TEST(BigroomSmoke, FillThenChatWhileChurnersComeAndGo) {
    Daemon daemon(kNoPlugins);
    auto args = target(daemon);
    args.insert(args.begin(), {"bigroom", "--clients", "60", "--senders", "20", "--rate", "5", "--churners", "20",
                               "--churn", "20", "--duration", "2", "--drain", "10"});
    const BenchRun run = runBench(args);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    ASSERT_TRUE(run.report) << run.output;
    EXPECT_EQ(run.number("fill_clients"), 80);
    EXPECT_EQ(run.number("fill_joined"), 80);
    const double fill_s = run.number("fill_s");
    EXPECT_GT(fill_s, 0);
    EXPECT_LT(fill_s, 30);
    EXPECT_LE(run.number("join_p50_ms"), run.number("join_max_ms"));
    EXPECT_EQ(run.number("fill_closed"), 0);
    EXPECT_GT(run.number("fill_server_rss_kb"), 1000);
    EXPECT_GT(run.number("presence_frames"), 0) << "members see each other join";
    // The chat: churners are in the room but only the members are counted.
    EXPECT_GT(run.number("sent"), 0);
    EXPECT_EQ(run.number("completeness"), 1.0) << run.output;
    EXPECT_EQ(run.number("deliveries"), run.number("sent") * 60);
    EXPECT_EQ(run.number("lost_members"), 0);
    EXPECT_LE(run.number("latency_p50_ms"), run.number("latency_p99_ms"));
    // 20 cycles/s for 2 s: each churner's turn comes once a second.
    EXPECT_GE(run.number("churn_leaves") + run.number("churn_skipped"), 20) << run.output;
    EXPECT_GT(run.number("churn_joins"), 0) << run.output;
    EXPECT_LE(run.number("churn_joins"), run.number("churn_leaves"));
    EXPECT_EQ(run.number("errors"), 0) << "no join was refused (every nick is new)";
    EXPECT_EQ(run.number("lost_connections"), 0) << "a churner's own close is not a loss";
}

TEST(BigroomSmoke, FloodRunsAfterAQuietPhaseAndIsMeasuredApart) {
    Daemon daemon(kNoPlugins);
    auto args = target(daemon);
    args.insert(args.begin(), {"bigroom", "--clients", "30", "--senders", "5", "--rate", "5", "--flooders", "4",
                               "--flood-rooms", "2", "--duration", "1.5", "--drain", "10"});
    const BenchRun run = runBench(args);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    ASSERT_TRUE(run.report) << run.output;
    EXPECT_EQ(run.number("fill_joined"), 34);
    EXPECT_GT(run.number("flood_s"), 1);
    EXPECT_GT(run.number("flood_delivered"), 0);
    EXPECT_GT(run.number("flood_sent"), 0);
    EXPECT_GT(run.number("flood_server_peak_rss_kb"), 1000);
    EXPECT_GT(run.number("server_peak_rss_kb"), 1000);
    EXPECT_GE(run.number("latency_p99_ms"), 0);  // the quiet phase
    EXPECT_GE(run.number("flood_latency_p99_ms"), 0);
    EXPECT_GT(run.number("flood_p99_ratio"), 0);
    EXPECT_GT(run.number("completeness"), 0.9) << run.output;
    EXPECT_EQ(run.number("lost_members"), 0);
}

TEST(BigroomSmoke, AFillThatCannotCompleteIsReported) {
    Daemon daemon(testYaml("limits:\n  max_room_users: 10\n"));
    auto args = target(daemon);
    args.insert(args.begin(), {"bigroom", "--clients", "15", "--setup-timeout", "2"});
    const BenchRun run = runBench(args);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    ASSERT_TRUE(run.report) << run.output;
    EXPECT_EQ(run.number("fill_joined"), 10);
    EXPECT_EQ(run.number("errors"), 5) << "room_full";
    EXPECT_TRUE(run.report->find("fill_s")->isNull());
    EXPECT_EQ(run.report->find("completeness"), nullptr);
    EXPECT_NE(run.output.find("no chat measured: the fill did not complete"), std::string::npos) << run.output;
}

TEST(BigroomSmoke, AFillEndsWhenEveryClientIsAnsweredOrRefused) {
    Daemon daemon(testYaml("limits:\n  max_connections: 10\n"));
    auto args = target(daemon);
    args.insert(args.begin(), {"bigroom", "--clients", "15", "--setup-timeout", "600"});
    const auto started = std::chrono::steady_clock::now();
    const BenchRun run = runBench(args);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    ASSERT_TRUE(run.report) << run.output;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(50)) << "waited for the timeout";
    EXPECT_EQ(run.number("fill_joined"), 10);
    EXPECT_EQ(run.number("fill_failed"), 5);
    EXPECT_EQ(*run.report->find("failures")->find("http 503")->asUint(), 5u) << run.output;
}

}  // namespace
}  // namespace chatd::testing
