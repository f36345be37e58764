// Smoke runs of the built chatd-bench against the built chatd (port 0): the
// figures it reports must be complete and sane, and it must notice loss,
// refused connections and bad options.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cmath>

#include "bench_run.h"
#include "daemon_fixture.h"

namespace chatd::testing {
namespace {

// Checks what every complete broadcast run must satisfy.
void expectCompleteAndSane(const BenchRun& run, double clients) {
    ASSERT_EQ(run.exit_code, 0) << run.output;
    ASSERT_TRUE(run.report) << run.output;
    const double sent = run.number("sent");
    EXPECT_GT(sent, 0);
    EXPECT_EQ(run.number("completeness"), 1.0) << run.output;
    EXPECT_EQ(run.number("deliveries"), sent * clients);
    EXPECT_EQ(run.number("complete_messages"), sent);
    EXPECT_EQ(run.number("incomplete_messages"), 0);
    EXPECT_EQ(run.number("lost_connections"), 0);
    const double p50 = run.number("latency_p50_ms"), p99 = run.number("latency_p99_ms");
    const double max = run.number("latency_max_ms");
    EXPECT_GE(p50, 0);
    EXPECT_LE(p50, p99);
    EXPECT_LE(p99, max);
    EXPECT_LT(max, 5000) << "a loopback delivery took over 5 s";
    EXPECT_GE(run.number("complete_p50_ms"), p50);  // the last copy is never earlier than the median one
    EXPECT_GT(run.number("deliveries_per_s"), 0);
    EXPECT_GT(run.number("server_rss_kb"), 1000);
    EXPECT_GE(run.number("server_cpu_s"), 0);
    EXPECT_GE(run.number("generator_cpu_percent"), 0);
}

TEST(BenchSmoke, RawOpenLoopDeliversEverythingOnSchedule) {
    Daemon daemon(kNoPlugins);
    auto args = target(daemon);
    args.insert(args.begin(), {"broadcast", "--clients", "50", "--senders", "5", "--rate", "20", "--duration", "2"});
    const BenchRun run = runBench(args);
    expectCompleteAndSane(run, 50);
    // Open loop: 5 senders x 20/s x 2 s, whatever the server does.
    EXPECT_NEAR(run.number("sent"), 200, 10);
    EXPECT_NEAR(run.number("deliveries_per_s"), 5 * 20 * 50, 5 * 20 * 50 * 0.25);
}

TEST(BenchSmoke, JsonModeDeliversEverything) {
    Daemon daemon(kNoPlugins);
    auto args = target(daemon);
    args.insert(args.begin(), {"broadcast", "--protocol", "json", "--clients", "50", "--senders", "5", "--rate", "20",
                               "--duration", "2"});
    expectCompleteAndSane(runBench(args), 50);
}

TEST(BenchSmoke, ClosedLoopKeepsTheWindowFull) {
    Daemon daemon(kNoPlugins);
    auto args = target(daemon);
    args.insert(args.begin(), {"broadcast", "--clients", "50", "--senders", "2", "--window", "4", "--duration", "1",
                               "--size", "200"});
    const BenchRun run = runBench(args);
    expectCompleteAndSane(run, 50);
    EXPECT_GT(run.number("sent"), 8) << "each sender sends more once its first messages came back";
    EXPECT_GT(run.number("deliveries_per_cpu_s"), 0);
}

TEST(BenchSmoke, NoticesMessagesTheServerDropped) {
    // The shipped rate limit (2/s, burst 10) drops most of 50 msg/s from one raw client.
    Daemon daemon(testYaml("plugins:\n  - name: ratelimit\n    config:\n      rate: 2\n      burst: 10\n"));
    auto args = target(daemon);
    args.insert(args.begin(), {"broadcast", "--clients", "10", "--senders", "1", "--rate", "50", "--duration", "1",
                               "--drain", "1"});
    const BenchRun run = runBench(args);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const double completeness = run.number("completeness");
    EXPECT_GT(completeness, 0.05);
    EXPECT_LT(completeness, 0.5) << run.output;
    EXPECT_GT(run.number("incomplete_messages"), 20);
}

TEST(BenchSmoke, IdleCountsOneFilePerConnection) {
    Daemon daemon(kNoPlugins);
    auto args = target(daemon);
    args.insert(args.begin(), {"idle", "--clients", "300"});
    const BenchRun run = runBench(args);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    EXPECT_EQ(run.number("open"), 300);
    EXPECT_NEAR(run.number("fds_per_connection"), 1.0, 0.02);
    const double per_connection = run.number("rss_per_connection_bytes");
    EXPECT_GT(per_connection, 0);
    EXPECT_LT(per_connection, 64 * 1024);
    EXPECT_EQ(run.number("server_threads_after"), run.number("server_threads_before"));
}

TEST(BenchSmoke, ConnectCountsRefusalsByCause) {
    Daemon daemon(testYaml("limits:\n  max_connections: 20\n"));
    const BenchRun run = runBench({"connect", "--clients", "30", "--port", std::to_string(daemon.port()),
                                   "--duration", "20"});
    ASSERT_EQ(run.exit_code, 0) << run.output;
    EXPECT_EQ(run.number("connected"), 20);
    EXPECT_EQ(run.number("failed"), 10);
    EXPECT_EQ(run.number("most_open"), 20);
    EXPECT_EQ(*run.report->find("failures")->find("http 503")->asUint(), 10u) << run.output;
}

// A port nobody listens on: bound, never listening.
std::uint16_t deadPort(int& fd) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t size = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    return ntohs(address.sin_port);
}

TEST(BenchSmoke, FailsClearlyWhenNothingListens) {
    int fd;
    const std::string port = std::to_string(deadPort(fd));
    const BenchRun connect = runBench({"connect", "--clients", "5", "--port", port});
    EXPECT_EQ(connect.exit_code, 0);
    EXPECT_EQ(*connect.report->find("failures")->find("connect: ECONNREFUSED")->asUint(), 5u) << connect.output;
    const BenchRun broadcast = runBench({"broadcast", "--clients", "5", "--rate", "1", "--port", port});
    EXPECT_EQ(broadcast.exit_code, 1);
    EXPECT_NE(broadcast.output.find("0 of 5 connections opened; failures: connect: ECONNREFUSED x5"),
              std::string::npos)
        << broadcast.output;
    ::close(fd);
}

TEST(BenchSmoke, BadOptionsExit64WithTheReason) {
    const BenchRun run = runBench({"broadcast", "--port", "1", "--rate", "1", "--window", "2"});
    EXPECT_EQ(run.exit_code, 64);
    EXPECT_NE(run.output.find("--rate (open loop) and --window (closed loop) exclude each other"), std::string::npos)
        << run.output;
    const BenchRun idle = runBench({"idle", "--port", "1"});
    EXPECT_EQ(idle.exit_code, 64);
    EXPECT_NE(idle.output.find("idle needs --server-pid"), std::string::npos) << idle.output;
}

}  // namespace
}  // namespace chatd::testing
