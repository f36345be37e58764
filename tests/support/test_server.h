// TestServer: the real chatd server, in-process, on 127.0.0.1 port 0, with
// a config a test can adjust before start.
#pragma once

#include <functional>
#include <memory>

#include "config/config.h"
#include "server/server.h"

namespace chatd::testing {

// The config tests start from: loopback, port 0, 2 IO loops, the repo's
// public/, no history store (history.store: memory), no message pacing
// (limits.session_messages_per_second: 0).
config::Config testConfig();

class TestServer {
public:
    explicit TestServer(const std::function<void(config::Config&)>& adjust = {});
    ~TestServer();

    std::uint16_t port() const { return server_->port(); }
    server::Server& server() { return *server_; }

private:
    std::unique_ptr<server::Server> server_;
};

}  // namespace chatd::testing
