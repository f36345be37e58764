// ChildProcess: runs a program (the built chatd) as a subprocess, collects
// its stderr+stdout, waits for lines with a timeout and ends it by pid.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace chatd::testing {

class ChildProcess {
public:
    // The child is SIGKILLed if the thread that constructs this dies first
    // (a crashed test leaves nothing behind). `env` ("NAME=value") is added
    // to (or replaces in) this process's environment for the child.
    explicit ChildProcess(std::vector<std::string> argv, const std::vector<std::string>& env = {});
    ~ChildProcess();  // SIGKILL if still running
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    // Waits until the output holds a match for `pattern` (searched from the
    // start); returns the match's first group (or whole match), nullopt on timeout/exit.
    std::optional<std::string> waitForOutput(const std::string& pattern, std::chrono::milliseconds timeout);
    void signal(int number);
    // Waits for the exit; returns the exit code (128+N for a signal), nullopt on timeout.
    std::optional<int> waitExit(std::chrono::milliseconds timeout);
    std::string output();
    // Waits until the child's output pipe reached EOF (all of it was read).
    bool waitOutputClosed(std::chrono::milliseconds timeout);

private:
    void readOutput(int fd);

    pid_t pid_ = -1;
    std::thread reader_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::string output_;
    bool output_closed_ = false;
    std::optional<int> exit_code_;
};

// Waits for chatd's "listening on http://ADDR:PORT" line and returns PORT.
std::uint16_t waitForListeningPort(ChildProcess& process, std::chrono::milliseconds timeout);

}  // namespace chatd::testing
