#include "control_client.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/unique_fd.h"

namespace chatd::ctl {

namespace {

// A reload loads plugins before it answers: wait long enough for that.
constexpr int kAnswerTimeoutSeconds = 120;

ClientError unreachable(const std::string& what) { return {ConnectFailure::Unreachable, what}; }

}  // namespace

std::variant<std::string, ClientError> exchange(const std::string& socket_path, const std::string& request_line) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_path.size() >= sizeof(address.sun_path)) return unreachable("socket path too long: " + socket_path);
    std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
    util::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) return unreachable(std::string("socket(): ") + std::strerror(errno));
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        const int error = errno;
        const std::string why = "cannot connect to " + socket_path + ": " + std::strerror(error);
        if (error == EACCES || error == EPERM) return ClientError{ConnectFailure::PermissionDenied, why};
        return unreachable(why + " (is chatd running? --socket picks another instance)");
    }
    const timeval timeout{kAnswerTimeoutSeconds, 0};
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    // A daemon that refuses this peer answers at once and closes: sending then
    // fails, and the answer waiting to be read below says why.
    std::string_view pending = request_line;
    std::string send_error;
    while (!pending.empty()) {
        const ssize_t sent = ::send(fd.get(), pending.data(), pending.size(), MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) continue;
        if (sent <= 0) {
            send_error = std::string("sending the request failed: ") + std::strerror(errno);
            break;
        }
        pending.remove_prefix(static_cast<std::size_t>(sent));
    }
    std::string answer;
    char chunk[4096];
    for (;;) {
        if (const auto end = answer.find('\n'); end != std::string::npos) return answer.substr(0, end);
        const ssize_t got = ::recv(fd.get(), chunk, sizeof(chunk), 0);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return unreachable(std::string("no answer from chatd: ") + std::strerror(errno));
        if (got == 0) return unreachable(send_error.empty() ? "chatd closed the connection without an answer" : send_error);
        answer.append(chunk, static_cast<std::size_t>(got));
    }
}

}  // namespace chatd::ctl
