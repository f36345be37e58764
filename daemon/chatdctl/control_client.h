// One exchange with the control socket: connect, send one request line, read
// one answer line. Failures are told apart because they exit differently.
#pragma once

#include <string>
#include <variant>

namespace chatd::ctl {

enum class ConnectFailure {
    Unreachable,       // no socket file, nobody accepting, no answer (exit 69)
    PermissionDenied,  // EACCES/EPERM on connect (exit 77)
};

struct ClientError {
    ConnectFailure kind;
    std::string message;
};

// Sends `request_line` ('\n' included) and returns the answer line (without '\n').
std::variant<std::string, ClientError> exchange(const std::string& socket_path, const std::string& request_line);

}  // namespace chatd::ctl
