// What one client can make the daemon write to its log: the built chatd with
// its stderr captured, flooded by a raw client sending 1-byte binary frames
// that are not UTF-8 and by refused upgrades with a ~15 KB target full of
// control bytes, while an ordinary client chats. The log must stay small,
// hold no raw control byte, and the ordinary client must not wait.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "daemon_fixture.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kFlood = std::chrono::seconds(3);
// The ordinary clients' median round trip must stay under this: ~0.1 ms
// without a flood, 340-770 ms when a flooder could hold its IO loop. An
// unoptimised or sanitizer build spends ~10 times longer on each frame of a turn.
#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
constexpr double kMedianRoundTripMs = 50;
#else
constexpr double kMedianRoundTripMs = 250;
#endif

// Sends 1-byte binary frames (0xFF: never UTF-8) from a raw client until `stop`.
void floodBinaryFrames(std::uint16_t port, const std::atomic<bool>& stop, std::uint64_t& frames) {
    std::string batch;
    constexpr int kPerBatch = 4096;
    for (int i = 0; i < kPerBatch; ++i) batch += ws::encodeClientFrame(ws::Opcode::Binary, "\xff");
    try {
        WsOptions raw;
        raw.protocol = std::nullopt;
        auto client = WsClient::connect(port, raw);
        while (!stop.load()) {
            client->sendBytes(batch);
            frames += kPerBatch;
        }
    } catch (const std::exception&) {  // closed by the server: `frames` says how far it got
    }
}

// A request target of ~15 KB holding ESC, NUL and DEL bytes.
std::string hostileTarget() {
    std::string target = "/ws?";
    while (target.size() < 15'000) target += std::string("a\x1b[2J\x1b]0;owned\x07") + '\0' + "\x7f" + "b";
    return target;
}

// Upgrades refused for their WebSocket version, one connection each, until `stop`.
void floodRefusedUpgrades(std::uint16_t port, const std::atomic<bool>& stop, std::uint64_t& refused) {
    WsOptions options;
    options.path = hostileTarget();
    options.version = "12";
    while (!stop.load()) {
        try {
            if (WsClient::handshake(port, options).status == 426) ++refused;
        } catch (const std::exception&) {  // a slow answer is the server's problem, measured elsewhere
        }
    }
}

// One round trip of an ordinary client: its own message coming back, in ms.
double roundTrip(WsClient& client, const std::string& id) {
    const auto sent = Clock::now();
    client.sendText(R"({"type":"message","text":"hello","id":")" + id + R"("})");
    while (str(client.waitFor("message", std::chrono::seconds(10)), "id") != id) {
    }
    return std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

// Raw bytes a terminal would act on: every C0 control but the line ends, and DEL.
std::size_t controlBytes(const std::string& log) {
    return static_cast<std::size_t>(std::count_if(log.begin(), log.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return (byte < 0x20 && byte != '\n') || byte == 0x7f;
    }));
}

TEST(LogFlood, OneClientsFloodKeepsTheLogSmallCleanAndOthersFast) {
    Daemon daemon(testYaml());  // two IO loops
    // Two ordinary clients, so that one shares the flooder's IO loop whichever it gets.
    std::vector<std::unique_ptr<WsClient>> ordinary;
    for (const char* nick : {"ann", "bob"}) {
        ordinary.push_back(WsClient::connect(daemon.port()));
        ordinary.back()->sendText(R"({"type":"join","room":"#quiet","nick":")" + std::string(nick) + R"("})");
        ordinary.back()->waitFor("welcome");
    }
    const std::size_t log_before = daemon.process().output().size();

    std::atomic<bool> stop{false};
    std::uint64_t frames = 0, refused = 0;
    std::thread binary([&] { floodBinaryFrames(daemon.port(), stop, frames); });
    std::thread upgrades([&] { floodRefusedUpgrades(daemon.port(), stop, refused); });
    std::vector<std::vector<double>> round_trips(ordinary.size());
    const auto end = Clock::now() + kFlood;
    for (int n = 0; Clock::now() < end; ++n) {
        for (std::size_t i = 0; i < ordinary.size(); ++i)
            round_trips[i].push_back(roundTrip(*ordinary[i], "m" + std::to_string(n)));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    stop = true;
    binary.join();
    upgrades.join();
    // One more round trip: the flood sent before it has been handled by now.
    for (auto& client : ordinary) roundTrip(*client, "after");

    const std::string log = daemon.process().output().substr(log_before);
    const double seconds = std::chrono::duration<double>(kFlood).count();
    double worst_p50 = 0, worst = 0;
    for (const auto& samples : round_trips) {
        worst_p50 = std::max(worst_p50, percentile(samples, 0.5));
        worst = std::max(worst, percentile(samples, 1.0));
    }
    std::cout << "[ flood    ] " << frames << " binary frames, " << refused << " refused upgrades in " << seconds
              << " s; log " << log.size() << " bytes (" << static_cast<double>(log.size()) / seconds
              << " B/s), control bytes " << controlBytes(log) << "; ordinary round trips " << round_trips[0].size()
              << " each, worst client's p50 " << worst_p50 << " ms, max " << worst << " ms\n";

    EXPECT_GT(frames, 10'000u);
    EXPECT_GT(refused, 100u);
    EXPECT_LT(static_cast<double>(log.size()), 4096 * seconds + 4096) << log.substr(0, 2048);
    EXPECT_EQ(controlBytes(log), 0u) << log.substr(0, 2048);
    EXPECT_LT(worst_p50, kMedianRoundTripMs);
    // Each kind of event still shows in the log, with how many were not logged.
    EXPECT_NE(log.find("not UTF-8"), std::string::npos) << log.substr(0, 2048);
    EXPECT_NE(log.find("upgrade refused"), std::string::npos) << log.substr(0, 2048);
    EXPECT_NE(log.find("more since the last line"), std::string::npos) << log.substr(0, 2048);
}

}  // namespace
}  // namespace chatd::testing
