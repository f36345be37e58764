#include "control/control_server.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "control/control_protocol.h"
#include "control/control_socket.h"
#include "control/peer_policy.h"
#include "util/clock.h"
#include "util/thread_setup.h"

namespace chatd::control {

namespace {

constexpr std::chrono::seconds kSendTimeout{2};

// Writes the whole answer (the socket blocks for at most kSendTimeout).
bool sendAll(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) continue;
        if (sent <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
}

void setSendTimeout(int fd) {
    const timeval timeout{static_cast<time_t>(kSendTimeout.count()), 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
}

}  // namespace

struct ControlServer::Client {
    util::UniqueFd fd;
    Caller caller;
    std::string buffer;
    util::SteadyTime last_request;
};

ControlServer::ControlServer(const ControlSettings& settings, const Dispatcher& dispatcher)
    : dispatcher_(dispatcher),
      path_(settings.socket_path),
      idle_timeout_(settings.idle_timeout),
      socket_(std::make_unique<ControlSocket>(settings.socket_path, settings.group)),
      rule_(currentAccessRule(socket_->group())),
      wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (!wake_) throw std::runtime_error(std::string("control socket: eventfd: ") + std::strerror(errno));
}

ControlServer::~ControlServer() { stop(); }

void ControlServer::start() {
    thread_ = std::thread([this] { run(); });
    spdlog::info("control socket {} (mode 0660, gid {})", socket_->path(), socket_->group());
}

void ControlServer::stop() {
    if (thread_.joinable()) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto written = ::write(wake_.get(), &one, sizeof(one));
        thread_.join();
    }
    clients_.clear();
    socket_.reset();
}

void ControlServer::run() {
    util::nameThisThread("chatd-control");
    std::vector<pollfd> fds;
    for (;;) {
        fds.clear();
        fds.push_back({wake_.get(), POLLIN, 0});
        fds.push_back({socket_->fd(), POLLIN, 0});
        for (const auto& client : clients_) fds.push_back({client->fd.get(), POLLIN, 0});
        const int ready = ::poll(fds.data(), fds.size(), 1000);
        if (ready < 0 && errno != EINTR) {
            spdlog::error("control socket: poll failed: {}; the control socket stops", std::strerror(errno));
            return;
        }
        if (fds[0].revents != 0) return;
        const auto now = util::steadyNow();
        std::vector<std::unique_ptr<Client>> kept;
        for (std::size_t i = 0; i < clients_.size(); ++i) {
            Client& client = *clients_[i];
            const short events = fds[i + 2].revents;
            bool keep = events == 0 || serveClient(client);
            // Idle: no complete request for a while (a trickled partial line does not count).
            if (keep && now - client.last_request > idle_timeout_) keep = false;
            if (keep) kept.push_back(std::move(clients_[i]));
        }
        clients_ = std::move(kept);
        if (fds[1].revents & POLLIN) acceptClient();
    }
}

void ControlServer::acceptClient() {
    util::UniqueFd fd(::accept4(socket_->fd(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!fd) return;
    setSendTimeout(fd.get());
    const auto peer = peerIdentity(fd.get());
    const Admission admission =
        peer ? admit(rule_, *peer) : Admission::Refused;
    const std::string who = peer ? peer->describe() : "an unknown peer";
    if (admission == Admission::Refused) {
        spdlog::warn("control socket: refused {}: not root, the daemon's user or a member of gid {}", who,
                     socket_->group());
        sendAll(fd.get(), errorAnswer(error_code::kForbidden,
                                      "only root, the daemon's user and members of the socket's group are served"));
        return;
    }
    if (clients_.size() >= kMaxClients) {
        sendAll(fd.get(), errorAnswer(error_code::kRefused, "too many control clients; try again"));
        return;
    }
    spdlog::debug("control socket: serving {} ({})", who, describe(admission));
    clients_.push_back(std::make_unique<Client>(Client{std::move(fd), Caller{who}, {}, util::steadyNow()}));
}

bool ControlServer::serveClient(Client& client) {
    char chunk[4096];
    const ssize_t got = ::recv(client.fd.get(), chunk, sizeof(chunk), 0);
    if (got < 0) return errno == EAGAIN || errno == EINTR;
    if (got == 0) return false;
    client.buffer.append(chunk, static_cast<std::size_t>(got));
    std::size_t start = 0;
    for (std::size_t end; (end = client.buffer.find('\n', start)) != std::string::npos; start = end + 1) {
        std::string_view line(client.buffer.data() + start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.size() > kMaxRequestBytes) break;
        client.last_request = util::steadyNow();
        if (!sendAll(client.fd.get(), dispatcher_.answer(line, client.caller))) return false;
    }
    client.buffer.erase(0, start);
    if (client.buffer.size() > kMaxRequestBytes) {
        sendAll(client.fd.get(), errorAnswer(error_code::kTooLong, "a request line has at most " +
                                                                        std::to_string(kMaxRequestBytes) + " bytes"));
        return false;
    }
    return true;
}

}  // namespace chatd::control
