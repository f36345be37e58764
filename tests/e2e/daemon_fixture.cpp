#include "daemon_fixture.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace chatd::testing {

// Pacing off (tests send bursts): into `extra`'s own limits section when
// it has one (a key may appear only once), else in one of its own.
std::string testYaml(const std::string& extra) {
    const std::string no_pacing = "  session_messages_per_second: 0\n";
    std::string rest = extra;
    const std::size_t limits = rest.rfind("limits:\n", 0) == 0 ? 0 : rest.find("\nlimits:\n");
    if (limits == std::string::npos) {
        rest += "limits:\n" + no_pacing;
    } else {
        rest.insert(rest.find('\n', limits + 1) + 1, no_pacing);
    }
    return "listen:\n  address: 127.0.0.1\n  port: 0\n"
           "public_dir: " CHATD_SOURCE_DIR
           "/public\n"
           "threads:\n  io: 2\n" +
           rest;
}

Daemon::Daemon(const std::string& yaml, std::vector<std::string> args, std::vector<std::string> env)
    : env_(std::move(env)) {
    config_path_ = dir_.write("chatd.yaml", yaml);
    argv_ = {CHATD_BIN, "--config=" + config_path_};
    argv_.insert(argv_.end(), args.begin(), args.end());
    restart();
}

void Daemon::restart() {
    std::vector<std::string> env = stateDirectoryEnv(dir_);
    env.insert(env.end(), env_.begin(), env_.end());
    process_ = std::make_unique<ChildProcess>(argv_, env);
    port_ = waitForListeningPort(*process_, std::chrono::seconds(20));
    // The port listens a moment before the rest (the control socket) is up.
    if (!process_->waitForOutput("ready: serving", std::chrono::seconds(20)))
        throw std::runtime_error("chatd listens but did not say ready; output:\n" + process_->output());
}

void Daemon::rewriteConfig(const std::string& yaml) const { std::ofstream(config_path_, std::ios::trunc) << yaml; }

std::vector<std::string> stateDirectoryEnv(const TempDir& dir) { return {"STATE_DIRECTORY=" + dir.path().string()}; }

std::pair<int, std::string> runChatd(std::vector<std::string> args) {
    args.insert(args.begin(), CHATD_BIN);
    const TempDir state;
    ChildProcess process(args, stateDirectoryEnv(state));
    const auto code = process.waitExit(std::chrono::seconds(20));
    if (!code) throw std::runtime_error("chatd did not exit; output:\n" + process.output());
    process.waitOutputClosed(std::chrono::seconds(10));
    return {*code, process.output()};
}

std::pair<int, std::string> runToExit(const std::vector<std::string>& argv) {
    ChildProcess process(argv);
    const auto code = process.waitExit(std::chrono::seconds(30));
    if (!code) throw std::runtime_error(argv.front() + " did not exit; output:\n" + process.output());
    process.waitOutputClosed(std::chrono::seconds(10));
    return {*code, process.output()};
}

#ifdef CHATDCTL_BIN
std::pair<int, std::string> runChatdctl(const std::string& socket, std::vector<std::string> args) {
    args.insert(args.begin(), {CHATDCTL_BIN, "--socket=" + socket});
    return runToExit(args);
}
#endif

}  // namespace chatd::testing
