// A client that stops reading must never delay the others: its queue goes
// over limits.send_queue_bytes while its socket takes nothing, and it is
// closed with 1008 "slow consumer" (and the limit hit is logged).
#include <gtest/gtest.h>

#include "log_capture.h"
#include "test_server.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

TEST(SlowConsumer, IsClosedWith1008WhileOthersReceiveEverything) {
    LogCapture log;
    TestServer server([](config::Config& config) { config.limits.send_queue_bytes = 64 * 1024; });
    WsOptions small_buffer;
    small_buffer.receive_buffer = 4096;
    auto stalled = joinedClient(server.port(), "sleepy", "r", small_buffer);  // never reads again until the end
    auto sender = joinedClient(server.port(), "sender");
    auto reader = joinedClient(server.port(), "reader");

    const std::string text(1000, 'x');
    constexpr std::uint64_t kMessages = 3000;  // ~3 MB: far beyond kernel buffers plus the queue
    std::uint64_t next_seq = 1;
    bool saw_leave = false;
    // Reads the reader's frames up to message `seq`, checking there is no gap.
    auto readUpTo = [&](std::uint64_t seq) {
        while (next_seq <= seq) {
            json::Value event = reader->receiveJson();
            if (str(event, "type") == "presence" && str(event, "event") == "leave" && str(event, "nick") == "sleepy")
                saw_leave = true;
            if (str(event, "type") != "message") continue;
            ASSERT_EQ(uint(event, "seq"), next_seq) << "the reader saw a gap";
            ++next_seq;
        }
    };
    for (std::uint64_t i = 1; i <= kMessages; ++i) {
        sender->sendText(R"({"type":"message","text":")" + text + R"("})");
        if (i % 50 == 0) {
            readUpTo(i);
            for (std::uint64_t seq = 0; seq < i;) seq = uint(sender->waitFor("message"), "seq");
        }
        if (saw_leave && i % 50 == 0) break;
    }
    ASSERT_TRUE(saw_leave) << "the stalled client was never closed";
    // The others went on: send a few more and the reader has all of them.
    for (int i = 0; i < 10; ++i) sender->sendText(R"({"type":"message","text":"after"})");
    readUpTo(next_seq - 1 + 10);
    // Reading again, the stalled client finds what fit, then the close frame.
    EXPECT_EQ(stalled->waitClosed(std::chrono::seconds(10)), 1008);
    // The limit hit is logged (rate-limited, like every limit), naming the limit.
    EXPECT_EQ(log.count("limit hit: slow_consumer: "), 1u) << log.all();
    EXPECT_EQ(log.count("limits.send_queue_bytes ("), 1u) << log.all();
}

}  // namespace
}  // namespace chatd::testing
