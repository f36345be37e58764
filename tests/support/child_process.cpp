#include "child_process.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <stdexcept>
#include <string_view>

namespace chatd::testing {

namespace {

// This process's environment with `overrides` ("NAME=value") put in.
std::vector<std::string> environmentWith(const std::vector<std::string>& overrides) {
    std::vector<std::string> env;
    for (char** entry = environ; *entry; ++entry) {
        const std::string_view line(*entry);
        const auto name = line.substr(0, line.find('=') + 1);
        const bool replaced = std::any_of(overrides.begin(), overrides.end(),
                                          [&](const std::string& o) { return o.rfind(name, 0) == 0; });
        if (!replaced) env.emplace_back(line);
    }
    env.insert(env.end(), overrides.begin(), overrides.end());
    return env;
}

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, const std::vector<std::string>& env) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    std::vector<char*> args;
    for (auto& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    // Built before fork: the child only calls async-signal-safe functions.
    std::vector<std::string> env_lines = environmentWith(env);
    std::vector<char*> envp;
    for (auto& line : env_lines) envp.push_back(line.data());
    envp.push_back(nullptr);
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        // A test that crashes must not leave its daemons or redis-server
        // behind: the child dies with the thread that started it. Construct
        // ChildProcess on a thread that outlives it (the test's own).
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
        ::dup2(pipe_fds[1], STDOUT_FILENO);
        ::dup2(pipe_fds[1], STDERR_FILENO);
        // The test runner may block signals; the daemon must start with a clean mask.
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::execve(args[0], args.data(), envp.data());
        ::_exit(127);
    }
    ::close(pipe_fds[1]);
    reader_ = std::thread([this, fd = pipe_fds[0]] { readOutput(fd); });
}

ChildProcess::~ChildProcess() {
    if (!waitExit(std::chrono::milliseconds(0))) {
        ::kill(pid_, SIGKILL);
        waitExit(std::chrono::seconds(10));
    }
    if (reader_.joinable()) reader_.join();
}

void ChildProcess::readOutput(int fd) {
    char chunk[4096];
    for (;;) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n <= 0) break;
        std::lock_guard lock(mutex_);
        output_.append(chunk, static_cast<std::size_t>(n));
        changed_.notify_all();
    }
    ::close(fd);
    std::lock_guard lock(mutex_);
    output_closed_ = true;
    changed_.notify_all();
}

std::optional<std::string> ChildProcess::waitForOutput(const std::string& pattern, std::chrono::milliseconds timeout) {
    const std::regex re(pattern);
    std::unique_lock lock(mutex_);
    std::smatch match;
    const bool found =
        changed_.wait_for(lock, timeout, [&] { return std::regex_search(output_, match, re) || output_closed_; });
    if (!found || match.empty()) {
        if (!std::regex_search(output_, match, re)) return std::nullopt;
    }
    return match.size() > 1 ? match[1].str() : match[0].str();
}

void ChildProcess::signal(int number) { ::kill(pid_, number); }

std::optional<int> ChildProcess::waitExit(std::chrono::milliseconds timeout) {
    if (exit_code_) return exit_code_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            return exit_code_;
        }
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        // Polling waitpid: there is no portable wait-with-timeout for a child.
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

bool ChildProcess::waitOutputClosed(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [this] { return output_closed_; });
}

std::string ChildProcess::output() {
    std::lock_guard lock(mutex_);
    return output_;
}

std::uint16_t waitForListeningPort(ChildProcess& process, std::chrono::milliseconds timeout) {
    const auto port = process.waitForOutput(R"(listening on http://\S+:(\d+))", timeout);
    if (!port) throw std::runtime_error("chatd did not start listening; output:\n" + process.output());
    return static_cast<std::uint16_t>(std::stoi(*port));
}

}  // namespace chatd::testing
