// chatdctl's command line: options, the command and its arguments, turned
// into one control request. Only the commands the daemon serves are known.
#pragma once

#include <string>
#include <variant>
#include <vector>

namespace chatd::ctl {

// The socket when neither --socket nor $CHATD_CONTROL_SOCKET names one: the
// packaged service's (RuntimeDirectory=chatd).
inline constexpr const char* kDefaultSocket = "/run/chatd/control.sock";

struct Invocation {
    std::string socket;
    bool json = false;
    bool help = false;
    std::string command;    // "status", ...
    std::string args_json;  // the request's args object
};

struct UsageError {
    std::string message;
};

// `arguments` without the program name; `env_socket` is $CHATD_CONTROL_SOCKET.
std::variant<Invocation, UsageError> parseCommandLine(const std::vector<std::string>& arguments,
                                                      const std::string& env_socket);

// The usage text (--help, and after a usage error).
std::string usageText();

}  // namespace chatd::ctl
