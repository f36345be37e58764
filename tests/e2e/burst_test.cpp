// A burst that every member can read is not a slow consumer. With the shipped
// ratelimit settings (2/s, burst 10), ten members send their burst of ten
// 4,096 x U+0001 messages at once: 100 frames of ~24.6 KB (2.46 MB) for every
// member of the room. Members that read (fast readers with a 4 MiB receive
// buffer, ordinary clients with the default one) get all of them. (A member
// that never reads is still closed with 1008: slow_consumer_test; here the
// kernel's send buffer could take this whole burst for it.)
#include <gtest/gtest.h>

#include <latch>
#include <thread>

#include "daemon_fixture.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

constexpr int kSenders = 10;
constexpr int kBurst = 10;  // the shipped ratelimit burst
constexpr std::uint64_t kMessages = kSenders * kBurst;

const std::string kShippedRatelimit = "plugins:\n  - name: ratelimit\n    config:\n      rate: 2\n      burst: 10\n";

// What one member saw while reading everything the room sent.
struct Reading {
    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;
    std::uint16_t close_code = 0;  // 0: never closed
};

// Reads until all kMessages arrived, a close frame or EOF, or the timeout.
Reading readBurst(WsClient& client, std::chrono::seconds timeout) {
    Reading reading;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (reading.messages < kMessages) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        std::optional<Frame> frame;
        try {
            frame = client.receive(left);
        } catch (const std::exception&) {
            break;
        }
        if (!frame) break;
        if (frame->opcode == ws::Opcode::Close) {
            reading.close_code = frame->close_code;
            break;
        }
        reading.bytes += frame->payload.size();
        if (frame->payload.find(R"("type":"message")") != std::string::npos) ++reading.messages;
    }
    return reading;
}

std::unique_ptr<WsClient> joined(std::uint16_t port, const std::string& nick, int receive_buffer) {
    WsOptions options;
    options.receive_buffer = receive_buffer;
    return joinedClient(port, nick, "burst", options);
}

TEST(Burst, MembersThatReadAreNotClosedAsSlowConsumers) {
    Daemon daemon(testYaml(kShippedRatelimit));
    std::vector<std::unique_ptr<WsClient>> readers;  // the senders first, then two ordinary clients
    for (int i = 0; i < kSenders; ++i) readers.push_back(joined(daemon.port(), "fast" + std::to_string(i), 4 << 20));
    readers.push_back(joined(daemon.port(), "ordinary0", 0));
    readers.push_back(joined(daemon.port(), "ordinary1", 0));

    std::string text;
    for (int i = 0; i < 4096; ++i) text += "\\u0001";
    const std::string message = R"({"type":"message","text":")" + text + R"("})";

    std::vector<Reading> readings(readers.size());
    std::latch start(static_cast<std::ptrdiff_t>(kSenders));
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < readers.size(); ++i) {
        threads.emplace_back([&, i] {
            if (i < kSenders) {
                start.arrive_and_wait();  // every sender's burst at once
                for (int m = 0; m < kBurst; ++m) readers[i]->sendText(message);
            }
            readings[i] = readBurst(*readers[i], std::chrono::seconds(60));
        });
    }
    for (auto& thread : threads) thread.join();

    int closed = 0;
    for (std::size_t i = 0; i < readings.size(); ++i) {
        const std::string who = i < kSenders ? "fast reader " + std::to_string(i) : "ordinary client";
        EXPECT_EQ(readings[i].close_code, 0) << who << " was closed after " << readings[i].bytes << " bytes";
        EXPECT_EQ(readings[i].messages, kMessages) << who;
        if (readings[i].close_code != 0) ++closed;
    }
    std::cout << "[ burst    ] " << closed << " of " << readings.size() << " reading members closed; "
              << readings.back().bytes << " bytes read by an ordinary client\n";
}

}  // namespace
}  // namespace chatd::testing
