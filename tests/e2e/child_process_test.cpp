// The test harness itself: a crashed test must not leave its daemons behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "child_process.h"

namespace chatd::testing {
namespace {

// True while `pid` runs (a zombie waiting for init to reap it counts as gone).
bool running(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_field, name, state;
    if (!(stat >> pid_field >> name >> state)) return false;
    return state != "Z" && state != "X";
}

TEST(ChildProcess, DiesWithTheTestProcessThatStartedIt) {
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    const pid_t test_process = ::fork();
    ASSERT_GE(test_process, 0);
    if (test_process == 0) {  // stands in for a test that then crashes
        ChildProcess sleeper({"/bin/sleep", "600"});
        const pid_t pid = sleeper.pid();
        if (::write(pipe_fds[1], &pid, sizeof pid) != sizeof pid) ::_exit(1);
        ::pause();
        ::_exit(0);
    }
    ::close(pipe_fds[1]);
    pid_t sleeper = 0;
    ASSERT_EQ(::read(pipe_fds[0], &sleeper, sizeof sleeper), static_cast<ssize_t>(sizeof sleeper));
    ::close(pipe_fds[0]);
    ASSERT_TRUE(running(sleeper));

    ::kill(test_process, SIGKILL);
    ASSERT_EQ(::waitpid(test_process, nullptr, 0), test_process);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (running(sleeper) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const bool left_behind = running(sleeper);
    if (left_behind) ::kill(sleeper, SIGKILL);
    EXPECT_FALSE(left_behind) << "sleep " << sleeper << " outlived the process that started it";
}

}  // namespace
}  // namespace chatd::testing
