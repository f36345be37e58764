// RedisServer: a real redis-server (Debian's package) for tests, on a free
// loopback port, with no persistence (--save "" --appendonly no), ended by
// its pid. Redis cannot take port 0, so a free port is found by binding a
// socket and releasing it; a start that loses the port to someone else is
// retried on another one. stop()/start() keep the port (a Redis restart as
// clients see it); pause()/resume() make it silent without closing anything.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "child_process.h"

namespace chatd::testing {

class RedisServer {
public:
    // Starts it; throws (with the apt-get line) when redis-server is missing.
    RedisServer();
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    std::uint16_t port() const { return port_; }
    bool running() const { return process_ != nullptr; }

    // SIGTERM by pid and wait for the exit (all data is gone: no persistence).
    void stop();
    // SIGKILL by pid (a crash).
    void kill();
    // Starts again on the same port.
    void start();
    // SIGSTOP / SIGCONT: connections stay open, nothing is answered meanwhile.
    void pause();
    void resume();

    // Runs one command over a short blocking connection; returns the reply
    // as text (integers in decimal, arrays joined by '\n', nil as "(nil)").
    // Throws when Redis cannot be reached or answers with an error.
    std::string command(std::initializer_list<std::string_view> argv) const;
    std::string command(const std::vector<std::string>& argv) const;
    void flushAll() const { command({"FLUSHALL"}); }

private:
    // Starts redis-server on port_; false when the port was taken.
    bool launch();
    std::string run(const std::vector<std::string_view>& argv) const;

    std::uint16_t port_ = 0;
    std::string dir_;
    std::unique_ptr<ChildProcess> process_;
    bool paused_ = false;
};

// Pauses (SIGSTOP) `redis` for its own lifetime: however the scope ends (a
// failed assertion, an exception) the server is resumed (SIGCONT), so a test
// never leaves a stopped redis-server behind it.
class PausedRedis {
public:
    explicit PausedRedis(RedisServer& redis) : redis_(redis) { redis_.pause(); }
    ~PausedRedis() { redis_.resume(); }
    PausedRedis(const PausedRedis&) = delete;
    PausedRedis& operator=(const PausedRedis&) = delete;

private:
    RedisServer& redis_;
};

// Where redis-server is installed, or "" when it is not.
std::string redisServerPath();

}  // namespace chatd::testing
