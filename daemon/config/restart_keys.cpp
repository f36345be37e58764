// keysNeedingRestart() and keepRestartKeys(): the settings a reload (SIGHUP)
// cannot apply because they shape sockets and thread pools created once at
// start. The two lists must stay the same (a unit test holds them together).
#include "config/config_loader.h"

namespace chatd::config {

std::vector<std::string> keysNeedingRestart(const Config& running, const Config& next) {
    std::vector<std::string> keys;
    const auto check = [&](bool differs, const char* key) {
        if (differs) keys.emplace_back(key);
    };
    check(running.listen.address != next.listen.address, "listen.address");
    check(running.listen.port != next.listen.port, "listen.port");
    check(running.http.threads != next.http.threads, "http.threads");
    check(running.http.request_timeout != next.http.request_timeout, "http.request_timeout");
    check(running.http.max_queued != next.http.max_queued, "http.max_queued");
    check(running.threads.io != next.threads.io, "threads.io");
    check(running.threads.hub != next.threads.hub, "threads.hub");
    check(running.websocket.path != next.websocket.path, "websocket.path");
    check(running.bus.type != next.bus.type, "bus.type");
    check(running.bus.redis != next.bus.redis, "bus.redis");
    check(running.metrics.enabled != next.metrics.enabled, "metrics.enabled");
    check(running.metrics.listen != next.metrics.listen, "metrics.listen");
    check(running.metrics.port != next.metrics.port, "metrics.port");
    check(running.state_dir != next.state_dir, "state_dir");
    check(running.history.store != next.history.store, "history.store");
    check(running.history.path != next.history.path, "history.path");
    check(running.history.sync != next.history.sync, "history.sync");
    check(running.control.enabled != next.control.enabled, "control.enabled");
    check(running.control.socket != next.control.socket, "control.socket");
    check(running.control.group != next.control.group, "control.group");
    return keys;
}

void keepRestartKeys(const Config& running, Config& next) {
    next.listen = running.listen;
    next.http = running.http;  // every http.* key needs a restart
    next.threads = running.threads;
    next.websocket.path = running.websocket.path;
    next.bus = running.bus;  // every bus.* key needs a restart
    next.metrics = running.metrics;  // the listener is bound once, at start
    next.state_dir = running.state_dir;  // the store is opened once, at start
    next.history.store = running.history.store;
    next.history.path = running.history.path;
    next.history.sync = running.history.sync;
    next.control = running.control;  // so is the control socket
}

}  // namespace chatd::config
