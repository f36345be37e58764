// Runs the built chatd binary as a subprocess with a generated YAML file in a
// temporary directory; the port comes from its "listening on" line.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_process.h"
#include "temp_dir.h"

namespace chatd::testing {

// A chatd's directory: its config file, and its state_dir.
class TempDir : public ScratchDir {
public:
    TempDir() : ScratchDir("chatd-e2e") {}
};

// A YAML config for tests: loopback, port 0, the repo's public/, no message
// pacing (limits.session_messages_per_second: 0, merged into a `limits:`
// section of `extra` if it has one), plus `extra` lines.
std::string testYaml(const std::string& extra = "");

// The environment that makes `dir` a chatd's state_dir ($STATE_DIRECTORY):
// its history.db goes there, not into the test's working directory.
std::vector<std::string> stateDirectoryEnv(const TempDir& dir);

class Daemon {
public:
    // Starts `chatd --config=<file> <args>` and waits until it listens and
    // says it is ready (its control socket is up then too); the temporary
    // directory holding the file is its state_dir too.
    // `env`: more NAME=VALUE variables for the process.
    explicit Daemon(const std::string& yaml, std::vector<std::string> args = {}, std::vector<std::string> env = {});
    ChildProcess& process() { return *process_; }
    std::uint16_t port() const { return port_; }
    const std::string& configPath() const { return config_path_; }
    void rewriteConfig(const std::string& yaml) const;
    // Starts chatd again with the same config and state_dir (the process
    // before must have exited) and waits until it listens.
    void restart();

private:
    std::vector<std::string> argv_;
    std::vector<std::string> env_;
    TempDir dir_;
    std::string config_path_;
    std::unique_ptr<ChildProcess> process_;
    std::uint16_t port_ = 0;
};

// Runs chatd with `args` to completion (bounded), a fresh temporary
// directory as its state_dir, and returns {exit code, output}.
std::pair<int, std::string> runChatd(std::vector<std::string> args);

// Runs `argv` to completion (30 s at most): {exit code, stdout and stderr}.
std::pair<int, std::string> runToExit(const std::vector<std::string>& argv);

// Runs the built chatdctl against the control socket `socket` (test
// targets that define CHATDCTL_BIN).
std::pair<int, std::string> runChatdctl(const std::string& socket, std::vector<std::string> args);

}  // namespace chatd::testing
