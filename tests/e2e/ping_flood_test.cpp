// Connections that never read and flood empty pings cost the server a bounded
// amount of memory, and the other clients keep their latency: a queued pong
// is counted at what it costs, and a ping flood gets one pending pong per
// connection (RFC 6455 section 5.5.3: only the latest ping needs its pong).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "daemon_fixture.h"
#include "process_memory.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kFlooders = 10;
constexpr auto kFloodTime = std::chrono::seconds(5);

// Empty client pings, as many as fit in 64 KiB: one write sends thousands.
std::string pingBurst() {
    const std::string ping = ws::encodeClientFrame(ws::Opcode::Ping, "");
    std::string burst;
    while (burst.size() + ping.size() <= 65536) burst += ping;
    return burst;
}

// Sends pings without ever reading until `stop`; reconnects when the server
// closes the connection, as an attacker would.
void flood(std::uint16_t port, const std::atomic<bool>& stop) {
    // Below the server and the measuring client in priority: the round trips
    // then show what the flood costs the server, not how a loaded machine
    // shares its cores among ten busy threads of this test.
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
    const std::string burst = pingBurst();
    WsOptions never_reads;
    never_reads.receive_buffer = 4096;
    while (!stop.load()) {
        std::unique_ptr<WsClient> client;
        try {
            client = WsClient::connect(port, never_reads);
        } catch (const std::exception&) {
            continue;
        }
        const timeval bounded{0, 200'000};  // a blocked send returns to look at `stop`
        ::setsockopt(client->fd(), SOL_SOCKET, SO_SNDTIMEO, &bounded, sizeof bounded);
        while (!stop.load()) {
            const ssize_t n = ::send(client->fd(), burst.data(), burst.size(), MSG_NOSIGNAL);
            if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) break;  // closed: connect again
        }
    }
}

// Round trips of `sender`'s own message (its acknowledgement) while `until` lasts.
std::vector<double> roundTripsMs(WsClient& sender, Clock::time_point until) {
    std::vector<double> samples;
    while (Clock::now() < until) {
        const auto sent = Clock::now();
        sender.sendText(R"({"type":"message","text":"ping?"})");
        sender.waitFor("message", std::chrono::seconds(30));
        samples.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // pacing, not readiness
    }
    return samples;
}

double mean(const std::vector<double>& samples) {
    double sum = 0;
    for (double sample : samples) sum += sample;
    return samples.empty() ? 0 : sum / static_cast<double>(samples.size());
}

double percentile(std::vector<double> samples, double p) {
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    return samples[static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1))];
}

TEST(PingFlood, NeverReadingPingFloodersCostBoundedMemoryAndNoLatency) {
    Daemon daemon(testYaml());
    const pid_t pid = daemon.process().pid();
    auto sender = WsClient::connect(daemon.port());
    sender->sendText(R"({"type":"join","room":"calm","nick":"alice"})");
    sender->waitFor("welcome");
    auto other = WsClient::connect(daemon.port());
    other->sendText(R"({"type":"join","room":"calm","nick":"bob"})");
    other->waitFor("welcome");
    const auto quiet = roundTripsMs(*sender, Clock::now() + std::chrono::milliseconds(500));
    const std::uint64_t rss_before = residentBytes(pid);

    std::atomic<bool> stop{false};
    std::uint64_t rss_flooded = rss_before;  // the peak, sampled every 20 ms
    std::thread sampler([&] {
        while (!stop.load()) {
            rss_flooded = std::max(rss_flooded, residentBytes(pid));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    std::vector<std::thread> flooders;
    for (int i = 0; i < kFlooders; ++i) flooders.emplace_back(flood, daemon.port(), std::cref(stop));
    const auto during = roundTripsMs(*sender, Clock::now() + kFloodTime);
    stop = true;
    for (auto& thread : flooders) thread.join();
    sampler.join();

    [[maybe_unused]] const double growth_mb = static_cast<double>(rss_flooded - std::min(rss_flooded, rss_before)) / 1e6;
    std::cout << "[ ping     ] RSS " << static_cast<double>(rss_before) / 1e6 << " -> " << static_cast<double>(rss_flooded) / 1e6
              << " MB; round trip p50 " << percentile(quiet, 0.5) << " ms quiet; under the flood mean " << mean(during)
              << " ms, p50 " << percentile(during, 0.5) << " ms, p90 " << percentile(during, 0.9) << " ms, max "
              << percentile(during, 1.0) << " ms (" << during.size() << " samples)\n";
#ifndef CHATD_SANITIZED_BUILD  // ASan's quarantine keeps freed memory on purpose
    // Ten flooders may hold a pong each, not tens of megabytes.
    EXPECT_LT(growth_mb, 40.0);
#endif
    // The mean includes the stalls; one round trip of 1.5 s or several of
    // 300 ms are what a flood that costs the server per ping looks like.
    EXPECT_LT(mean(during), 300.0);
    // The others were not disturbed in the room either.
    EXPECT_EQ(str(other->waitFor("message"), "text"), "ping?");
}

}  // namespace
}  // namespace chatd::testing
