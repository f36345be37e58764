// Durable history with the real binary: chatd killed with SIGKILL while
// members chat, started again on the same state directory; every client
// resumes with its last `since` and gets exactly what it missed
// (recovered: true), with no gap and no duplicate, in the same epoch.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "daemon_fixture.h"
#include "json/json_reader.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;

// seq -> text of the messages one client saw.
using Seen = std::map<std::uint64_t, std::string>;

std::string joinFrame(const std::string& nick, const std::string& since = {}) {
    return R"({"type":"join","room":"r","nick":")" + nick + '"' + (since.empty() ? "" : R"(,"since":)" + since) + '}';
}

std::string sinceOf(const std::string& epoch, std::uint64_t seq) {
    return R"({"epoch":")" + epoch + R"(","seq":)" + std::to_string(seq) + '}';
}

// Reads every message of `client` into `seen` until the connection ends.
void readUntilClosed(WsClient& client, Seen& seen, std::mutex& mutex, std::atomic<std::size_t>& count) {
    for (;;) {
        std::optional<Frame> frame = client.receive(10s);
        if (!frame || frame->opcode == ws::Opcode::Close) return;
        if (frame->opcode != ws::Opcode::Text || frame->payload.find(R"("type":"message")") == std::string::npos)
            continue;
        std::string error;
        const auto message = json::parse(frame->payload, error);
        if (!message) continue;
        std::lock_guard lock(mutex);
        seen[uint(*message, "seq")] = str(*message, "text");
        ++count;
    }
}

// Joins again after the restart with `since` = the last message seen and
// checks the welcome: same epoch, recovered, and exactly the messages after it.
Seen resume(std::uint16_t port, const std::string& nick, const std::string& epoch, const Seen& seen) {
    auto client = WsClient::connect(port);
    const std::uint64_t last = seen.empty() ? 0 : seen.rbegin()->first;
    client->sendText(joinFrame(nick, sinceOf(epoch, last)));
    const json::Value welcome = client->waitFor("welcome", 10s);
    EXPECT_EQ(str(welcome, "epoch"), epoch) << nick;
    const json::Value* recovered = welcome.find("recovered");
    EXPECT_TRUE(recovered && recovered->asBool() && *recovered->asBool()) << nick << " since " << last;
    Seen missed;
    for (const json::Value& message : *welcome.find("history")->asArray())
        missed[uint(message, "seq")] = str(message, "text");
    EXPECT_EQ(missed.empty() ? uint(welcome, "seq") : missed.rbegin()->first, uint(welcome, "seq")) << nick;
    if (!missed.empty()) {
        EXPECT_EQ(missed.begin()->first, last + 1) << nick;
    }
    return missed;
}

TEST(DurableHistory, AKill9WhileMembersChatLosesNothingAnyoneSaw) {
    Daemon daemon(testYaml());
    constexpr int kReaders = 3;
    constexpr int kSenders = 4;
    std::vector<std::unique_ptr<WsClient>> readers;
    std::vector<std::unique_ptr<WsClient>> senders;
    std::string epoch;
    for (int i = 0; i < kReaders; ++i) {
        readers.push_back(WsClient::connect(daemon.port()));
        readers.back()->sendText(joinFrame("reader" + std::to_string(i)));
        epoch = str(readers.back()->waitFor("welcome", 10s), "epoch");
    }
    for (int i = 0; i < kSenders; ++i) {
        senders.push_back(WsClient::connect(daemon.port()));
        senders.back()->sendText(joinFrame("sender" + std::to_string(i)));
        senders.back()->waitFor("welcome", 10s);
    }
    std::vector<Seen> seen(kReaders);
    std::mutex mutex;
    std::atomic<std::size_t> count{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kReaders; ++i)
        threads.emplace_back([&, i] { readUntilClosed(*readers[i], seen[i], mutex, count); });
    std::atomic<bool> sending{true};
    std::thread sender([&] {
        for (int n = 0; sending; ++n) {
            try {
                senders[static_cast<std::size_t>(n % kSenders)]->sendText(R"({"type":"message","text":"m)" +
                                                                           std::to_string(n) + R"("})");
            } catch (const std::exception&) {
                return;  // the daemon is gone
            }
            if (n % kSenders == 0) std::this_thread::sleep_for(1ms);  // pacing, not readiness
        }
    });
    // Kill it in the middle of the chat.
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (count.load() < 300 * kReaders && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(5ms);  // polling a counter the reader threads raise
    ASSERT_GE(count.load(), 300u * kReaders) << "the chat did not get going";
    daemon.process().signal(SIGKILL);
    EXPECT_EQ(daemon.process().waitExit(10s), 128 + SIGKILL);
    sending = false;
    sender.join();
    for (auto& thread : threads) thread.join();

    daemon.restart();
    Seen whole;  // every message of the room, from the first reader's view
    for (int i = 0; i < kReaders; ++i) {
        Seen all = seen[i];
        ASSERT_FALSE(all.empty());
        EXPECT_EQ(all.begin()->first, 1u);
        EXPECT_EQ(all.size(), all.rbegin()->first) << "reader " << i << " saw a gap before the kill";
        const Seen missed = resume(daemon.port(), "reader" + std::to_string(i), epoch, all);
        all.insert(missed.begin(), missed.end());
        EXPECT_EQ(all.size(), all.rbegin()->first) << "reader " << i << " has a gap after resuming";
        if (i == 0)
            whole = all;
        else
            EXPECT_EQ(all, whole) << "reader " << i << " and reader 0 disagree";
    }
    // The room goes on from there.
    auto after = WsClient::connect(daemon.port());
    after->sendText(joinFrame("after"));
    after->waitFor("welcome", 10s);
    after->sendText(R"({"type":"message","text":"after the restart"})");
    const json::Value next = after->waitFor("message", 10s);
    EXPECT_EQ(str(next, "epoch"), epoch);
    EXPECT_EQ(uint(next, "seq"), whole.rbegin()->first + 1);
}

}  // namespace
}  // namespace chatd::testing
