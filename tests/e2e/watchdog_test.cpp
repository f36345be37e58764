// The systemd watchdog against the built chatd binary and a fake service
// manager (a datagram socket named by NOTIFY_SOCKET, WATCHDOG_USEC set as
// systemd sets them): WATCHDOG=1 comes only while every IO loop and hub shard
// runs what it is given. A plugin hook that sleeps wedges the hub shard: the
// pings stop and the log names the shard; when the hook returns they resume.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "daemon_fixture.h"
#include "util/unique_fd.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;

// The service manager's end of NOTIFY_SOCKET.
class FakeServiceManager {
public:
    explicit FakeServiceManager(std::string path) : path_(std::move(path)) {
        fd_ = util::UniqueFd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        if (path_.size() >= sizeof(address.sun_path)) throw std::runtime_error("socket path too long: " + path_);
        path_.copy(address.sun_path, sizeof(address.sun_path) - 1);
        if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0)
            throw std::runtime_error("cannot bind " + path_);
    }
    const std::string& path() const { return path_; }

    // True when a notification containing `text` arrives within `timeout`.
    bool waitFor(std::string_view text, std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            pollfd pfd{fd_.get(), POLLIN, 0};
            if (::poll(&pfd, 1, static_cast<int>(left.count())) != 1) return false;
            char buffer[4096];
            const ssize_t n = ::recv(fd_.get(), buffer, sizeof(buffer), 0);
            if (n > 0 && std::string_view(buffer, static_cast<std::size_t>(n)).find(text) != std::string_view::npos)
                return true;
        }
    }
    // Forgets what arrived so far.
    void drain() {
        char buffer[4096];
        while (::recv(fd_.get(), buffer, sizeof(buffer), MSG_DONTWAIT) > 0) {
        }
    }

private:
    std::string path_;
    util::UniqueFd fd_;
};

TEST(Watchdog, AWedgedHubShardStopsThePingsUntilItRecovers) {
    const TempDir dir;
    FakeServiceManager manager((dir.path() / "notify").string());
    const std::string yaml = testYaml(
        "plugins:\n"
        "  - name: probe\n"
        "    path: " TEST_PLUGIN_DIR "/probe.so\n"
        "    config:\n"
        "      sleep_if: wedge\n"
        "      sleep_ms: 5000\n");
    // WATCHDOG_USEC 400 ms: chatd checks its loops and pings every 200 ms.
    Daemon daemon(yaml, {}, {"NOTIFY_SOCKET=" + manager.path(), "WATCHDOG_USEC=400000"});
    ASSERT_TRUE(manager.waitFor("WATCHDOG=1", 10s)) << "no watchdog ping from a healthy chatd";

    auto client = WsClient::connect(daemon.port());
    client->sendText(R"({"type":"join","room":"r","nick":"ann"})");
    client->waitFor("welcome");
    client->sendText(R"({"type":"message","text":"wedge the shard"})");  // the hook sleeps 5 s

    ASSERT_TRUE(daemon.process().waitForOutput("watchdog: hub shard ", 10s)) << daemon.process().output();
    manager.drain();
    EXPECT_FALSE(manager.waitFor("WATCHDOG=1", 1500ms)) << "pinged while the hub shard was wedged";

    // The hook returns: the message goes out, and the pings come again.
    EXPECT_EQ(str(client->waitFor("message", 15s), "text"), "wedge the shard");
    EXPECT_TRUE(manager.waitFor("WATCHDOG=1", 10s)) << "no ping after the shard recovered";
    EXPECT_EQ(daemon.process().output().find("watchdog: io loop"), std::string::npos) << "an IO loop was blamed";
}

}  // namespace
}  // namespace chatd::testing
