// ControlServer: the control socket's thread. A poll loop over the listening
// socket and at most kMaxClients connections; each complete line is one
// request, answered by the Dispatcher on this thread, one at a time.
// Bounded: a line over kMaxRequestBytes is answered with error "too_long"
// and the connection closed; a client silent for `idle_timeout` is closed;
// a peer the socket's permissions would not admit is refused (peer_policy.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "control/dispatcher.h"
#include "control/peer_policy.h"
#include "util/unique_fd.h"

namespace chatd::control {

class ControlSocket;

struct ControlSettings {
    std::string socket_path;
    std::string group = "chatd";
    std::chrono::milliseconds idle_timeout{30'000};
};

inline constexpr std::size_t kMaxClients = 16;

class ControlServer {
public:
    // Creates the socket (throws std::runtime_error, see ControlSocket);
    // serving starts with start(). `dispatcher` must outlive this.
    ControlServer(const ControlSettings& settings, const Dispatcher& dispatcher);
    ~ControlServer();  // stop()
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    void start();
    // Closes every client, joins the thread and removes the socket file's name.
    void stop();
    const std::string& path() const { return path_; }

private:
    struct Client;
    void run();
    void acceptClient();
    // Reads what the client sent and answers each complete line; false when
    // the client is done (closed, failed or over the line limit).
    bool serveClient(Client& client);

    const Dispatcher& dispatcher_;
    std::string path_;
    std::chrono::milliseconds idle_timeout_;
    std::unique_ptr<ControlSocket> socket_;
    AccessRule rule_;
    util::UniqueFd wake_;  // eventfd: stop()
    std::vector<std::unique_ptr<Client>> clients_;
    std::thread thread_;
};

}  // namespace chatd::control
