// One instance holds 5,000 WebSocket connections with a thread count that
// does not grow with them, and delivers a broadcast to every one.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <filesystem>

#include "daemon_fixture.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

std::size_t threadCount(pid_t pid) {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task"))
        ++count;
    return count;
}

void raiseOwnFileLimit() {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
}

TEST(Scale, FiveThousandConnectionsFixedThreadsEveryoneGetsTheBroadcast) {
    constexpr int kClients = 5000;
    raiseOwnFileLimit();
    Daemon daemon(testYaml("limits:\n  max_connections: 20000\n"));
    const pid_t pid = daemon.process().pid();
    auto first = WsClient::connect(daemon.port());  // every pool thread exists by now
    const std::size_t threads_before = threadCount(pid);

    WsOptions raw;
    raw.protocol = std::nullopt;
    std::vector<std::unique_ptr<WsClient>> clients;
    clients.reserve(kClients);
    for (int i = 0; i < kClients; ++i) clients.push_back(WsClient::connect(daemon.port(), raw));
    const std::size_t threads_after = threadCount(pid);
    EXPECT_EQ(threads_after, threads_before) << "threads grew with connections";

    // A raw client is in the default room once its join (posted by its IO
    // loop after the 101) was processed; the last few may still be on their
    // way. Joining again gives a fresh welcome: repeat until it counts everyone
    // (its `users` lists only the first chat.welcome_users of them).
    auto sender = WsClient::connect(daemon.port());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::size_t users = 0;
    while (users != kClients + 1 && std::chrono::steady_clock::now() < deadline) {
        sender->sendText(R"({"type":"join","nick":"sender"})");
        users = static_cast<std::size_t>(uint(sender->waitFor("welcome", std::chrono::seconds(30)), "count"));
    }
    EXPECT_EQ(users, static_cast<std::size_t>(kClients + 1));

    sender->sendText(R"({"type":"message","text":"to all five thousand"})");
    int delivered = 0;
    for (auto& client : clients) {
        auto frame = client->receive(std::chrono::seconds(30));
        if (frame && frame->opcode == ws::Opcode::Binary && frame->payload == "to all five thousand") ++delivered;
    }
    EXPECT_EQ(delivered, kClients);
    std::cout << "[ scale    ] " << kClients << " connections, daemon threads " << threads_before << " -> "
              << threads_after << "\n";
}

}  // namespace
}  // namespace chatd::testing
