// Crowd: many TCP connections from one address, each holding a server the
// way a slowloris attacker does, on a thread of its own. Dribble sends a
// request head one byte per round and never finishes it; IdleKeepAlive sends
// one complete request, reads the answer and then stays silent. With
// `reopen`, a connection the server closes is opened again on the next round
// (the attacker starts again at once).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "util/unique_fd.h"

namespace chatd::testing {

class Crowd {
public:
    enum class Style { Dribble, IdleKeepAlive };

    Crowd(std::uint16_t port, std::size_t size, Style style, bool reopen = true,
          std::chrono::milliseconds round = std::chrono::milliseconds(500))
        : port_(port), style_(style), reopen_(reopen), round_(round), fds_(size), thread_([this] { run(); }) {}
    ~Crowd() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        changed_.notify_all();
        thread_.join();
    }
    Crowd(const Crowd&) = delete;
    Crowd& operator=(const Crowd&) = delete;

    // True once every connection has been opened and has sent its first bytes.
    bool waitStarted(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [this] { return started_; });
    }
    // Connections the server closed (each reopened when `reopen`).
    std::uint64_t closedByServer() const { return closed_.load(); }

private:
    static constexpr std::string_view kDribbleStart = "GET /ws HTTP/1.1\r\nHost: x\r\nX-Pad: ";
    static constexpr std::string_view kRequest = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

    util::UniqueFd open() const {
        util::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        sockaddr_in server{};
        server.sin_family = AF_INET;
        server.sin_port = htons(port_);
        server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (!fd || ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0) return {};
        const std::string_view first = style_ == Style::Dribble ? kDribbleStart : kRequest;
        ::send(fd.get(), first.data(), first.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        return fd;
    }

    // Reads what the server sent; false when it closed (or reset) the connection.
    static bool drain(int fd) {
        char buffer[4096];
        for (;;) {
            const ssize_t got = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
            if (got > 0) continue;
            return got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
        }
    }

    void run() {
        for (auto& fd : fds_) fd = open();
        {
            std::lock_guard lock(mutex_);
            started_ = true;
        }
        changed_.notify_all();
        std::unique_lock lock(mutex_);
        while (!changed_.wait_for(lock, round_, [this] { return stopping_; })) {
            lock.unlock();
            for (auto& fd : fds_) step(fd);
            lock.lock();
        }
    }

    // One round for one connection: notice a close, reopen, dribble a byte.
    void step(util::UniqueFd& fd) {
        if (fd) {
            pollfd pfd{fd.get(), POLLIN, 0};
            if (::poll(&pfd, 1, 0) > 0 && !drain(fd.get())) {
                fd = {};
                closed_.fetch_add(1);
            }
        }
        if (!fd) {
            if (reopen_) fd = open();
            return;
        }
        if (style_ == Style::Dribble) ::send(fd.get(), "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    }

    const std::uint16_t port_;
    const Style style_;
    const bool reopen_;
    const std::chrono::milliseconds round_;
    std::vector<util::UniqueFd> fds_;
    std::atomic<std::uint64_t> closed_{0};
    std::mutex mutex_;
    std::condition_variable changed_;
    bool started_ = false;
    bool stopping_ = false;
    std::thread thread_;  // last: starts once everything above exists
};

}  // namespace chatd::testing
