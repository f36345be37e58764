// ControlConnection: a raw client of the control socket for tests: sends
// lines as they are (malformed, oversized) and reads answer lines.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "util/unique_fd.h"

namespace chatd::testing {

class ControlConnection {
public:
    // Connects to `path`; throws std::runtime_error when that fails.
    explicit ControlConnection(const std::string& path);

    void send(std::string_view bytes);
    // The next answer line (without '\n'); nullopt on EOF or timeout.
    std::optional<std::string> readLine(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // Sends `line` + '\n' and returns the answer; throws when none comes.
    std::string ask(std::string_view line);
    // True when the daemon closed the connection within `timeout`.
    bool waitClosed(std::chrono::milliseconds timeout);

private:
    util::UniqueFd fd_;
    std::string buffer_;
};

// A socket file at `path` whose listener is gone, as a crash leaves it.
void makeStaleSocket(const std::string& path);

}  // namespace chatd::testing
