// The memory a room's history holds, measured on the built binary with its
// default settings: clients fill many rooms with the longest messages the
// limits allow, made of control characters (each escapes to six bytes in the
// JSON frame the history keeps), and leave. The server's RSS and its
// chatd_history_bytes gauge must stay within chat.history_bytes per room.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

#include "daemon_fixture.h"
#include "history_flood.h"
#include "prometheus_sample.h"

namespace chatd::testing {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;

// VmRSS of `pid` in bytes.
std::size_t residentBytes(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
    return 0;
}

// The value of the sample `series` on the /metrics page at `port`, or -1.
double scrapeSample(std::uint16_t port, const std::string& series) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request("GET", "/metrics", Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    return sampleValue(body, series);
}

TEST(HistoryMemory, RoomsFloodedWithEscapedTextAndLeftHoldNoMoreThanTheBound) {
    constexpr int kClients = 4;         // each has its own join budget (chat.join_nick_burst)
    constexpr int kRoomsPerClient = 10;
    constexpr int kMessages = 100;      // chat.history_size
    constexpr std::size_t kRoomBound = 512 * 1024;  // chat.history_bytes default
    constexpr int kRooms = kClients * kRoomsPerClient;
    Daemon daemon(testYaml("metrics:\n  enabled: true\n  port: 0\n"));
    const auto metrics_port =
        daemon.process().waitForOutput(R"(metrics on http://127\.0\.0\.1:(\d+))", std::chrono::seconds(10));
    ASSERT_TRUE(metrics_port);
    const pid_t pid = daemon.process().pid();
    {
        auto warm = WsClient::connect(daemon.port());  // threads, pools and buffers exist by now
        floodRoom(*warm, "warm-up", 1);
    }
    const std::size_t before = residentBytes(pid);

    for (int c = 0; c < kClients; ++c) {
        auto flooder = WsClient::connect(daemon.port());
        for (int r = 0; r < kRoomsPerClient; ++r)
            floodRoom(*flooder, "flood-" + std::to_string(c) + "-" + std::to_string(r), kMessages);
        flooder->sendClose();
        flooder->waitClosed();
    }
    const std::size_t after = residentBytes(pid);
    const double held = scrapeSample(static_cast<std::uint16_t>(std::stoi(*metrics_port)), "chatd_history_bytes");
    const double growth = static_cast<double>(after) - static_cast<double>(before);
    std::cout << "[ history  ] " << kRooms << " rooms x " << kMessages << " escaped messages: RSS "
              << before / kMiB << " -> " << after / kMiB << " MiB (+" << growth / kMiB << " MiB), chatd_history_bytes "
              << held / kMiB << " MiB\n";
    EXPECT_GE(held, 0) << "no chatd_history_bytes gauge";
    EXPECT_LE(held, static_cast<double>(kRooms * kRoomBound));
#ifndef CHATD_SANITIZED_BUILD  // ASan's quarantine keeps freed memory on purpose
    // The rooms' histories within their bound (20 MiB), plus room for the
    // allocator; unbounded they took 2.4 MiB per room (~97 MiB).
    EXPECT_LT(growth, static_cast<double>(kRooms * kRoomBound + 24 * kMiB));
#endif
}

}  // namespace
}  // namespace chatd::testing
