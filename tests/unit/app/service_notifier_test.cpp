// ServiceNotifier against a fake service manager: a Unix datagram socket
// named by NOTIFY_SOCKET, as systemd provides it to a Type=notify service.
#include "app/service_notifier.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "util/unique_fd.h"

namespace chatd::app {
namespace {

// Sets an environment variable for one test and restores the old value.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() { old_.empty() ? ::unsetenv(name_) : ::setenv(name_, old_.c_str(), 1); }

private:
    const char* name_;
    std::string old_;
};

// The service manager's end: a datagram socket bound in a temporary folder.
class FakeManager {
public:
    FakeManager() {
        dir_ = std::filesystem::temp_directory_path() / ("chatd-notify-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
        path_ = (dir_ / "notify").string();
        std::filesystem::remove(path_);
        fd_ = util::UniqueFd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        path_.copy(address.sun_path, sizeof(address.sun_path) - 1);
        EXPECT_EQ(::bind(fd_.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    }
    ~FakeManager() { std::filesystem::remove_all(dir_); }

    const std::string& path() const { return path_; }

    // The next notification, or "" when none arrives within a second.
    std::string receive() {
        pollfd pfd{fd_.get(), POLLIN, 0};
        if (::poll(&pfd, 1, 1000) != 1) return "";
        char buffer[4096];
        const ssize_t n = ::recv(fd_.get(), buffer, sizeof(buffer), 0);
        return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
    }

private:
    std::filesystem::path dir_;
    std::string path_;
    util::UniqueFd fd_;
};

TEST(ServiceNotifier, WithoutNotifySocketEveryCallIsANoOp) {
    ::unsetenv("NOTIFY_SOCKET");
    ServiceNotifier notifier;
    EXPECT_FALSE(notifier.enabled());
    EXPECT_FALSE(notifier.watchdogPingInterval());
    notifier.ready("serving");  // must not crash or block
    notifier.watchdogPing();
}

TEST(ServiceNotifier, SendsReadyReloadingStoppingStatusAndWatchdog) {
    FakeManager manager;
    ScopedEnv socket("NOTIFY_SOCKET", manager.path());
    ServiceNotifier notifier;
    ASSERT_TRUE(notifier.enabled());

    notifier.ready("serving http://0.0.0.0:8080");
    EXPECT_EQ(manager.receive(), "READY=1\nSTATUS=serving http://0.0.0.0:8080");
    notifier.reloading("reloading /etc/chatd.yaml");
    EXPECT_EQ(manager.receive(), "RELOADING=1\nSTATUS=reloading /etc/chatd.yaml");
    notifier.status("half\nway");
    EXPECT_EQ(manager.receive(), "STATUS=half way");
    notifier.watchdogPing();
    EXPECT_EQ(manager.receive(), "WATCHDOG=1");
    notifier.stopping("");
    EXPECT_EQ(manager.receive(), "STOPPING=1");
    // NOTIFY_SOCKET stays set for the later calls (and the process's children).
    EXPECT_NE(std::getenv("NOTIFY_SOCKET"), nullptr);
}

TEST(ServiceNotifier, AManagerThatIsGoneIsNotAnError) {
    std::string path;
    {
        FakeManager manager;
        path = manager.path();
    }
    ScopedEnv socket("NOTIFY_SOCKET", path);
    ServiceNotifier notifier;
    EXPECT_TRUE(notifier.enabled());
    notifier.ready("nobody listens");  // logged, not thrown
}

TEST(ServiceNotifier, WatchdogIntervalIsHalfOfWatchdogUsecForThisProcess) {
    FakeManager manager;
    ScopedEnv socket("NOTIFY_SOCKET", manager.path());
    {
        ScopedEnv usec("WATCHDOG_USEC", "30000000");
        ScopedEnv pid("WATCHDOG_PID", std::to_string(::getpid()));
        ServiceNotifier notifier;
        ASSERT_TRUE(notifier.watchdogPingInterval());
        EXPECT_EQ(notifier.watchdogPingInterval()->count(), 15000);
    }
    {
        // A watchdog meant for another process (our parent) is not ours.
        ScopedEnv usec("WATCHDOG_USEC", "30000000");
        ScopedEnv pid("WATCHDOG_PID", std::to_string(::getppid()));
        EXPECT_FALSE(ServiceNotifier().watchdogPingInterval());
    }
    {
        ScopedEnv usec("WATCHDOG_USEC", "not-a-number");
        ScopedEnv pid("WATCHDOG_PID", std::to_string(::getpid()));
        EXPECT_FALSE(ServiceNotifier().watchdogPingInterval());
    }
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
    EXPECT_FALSE(ServiceNotifier().watchdogPingInterval());
}

TEST(ServiceNotifier, MessageJoinsStateAndOneLineStatus) {
    EXPECT_EQ(ServiceNotifier::message("READY=1", ""), "READY=1");
    EXPECT_EQ(ServiceNotifier::message("READY=1", "a\r\nb"), "READY=1\nSTATUS=a  b");
    EXPECT_EQ(ServiceNotifier::message("", "only status"), "STATUS=only status");
}

}  // namespace
}  // namespace chatd::app
