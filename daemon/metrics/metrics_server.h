// MetricsServer: GET /metrics on a listener of its own (loopback by default),
// separate from the public HTTP/WebSocket port so that the numbers are not
// exposed to the internet and a flood on the public port cannot starve a
// scrape. One small fixed thread pool; anything but GET/HEAD /metrics gets
// 404 or 405. Its connections have the public port's handshake deadline: a
// request that does not arrive in time is cut, so clients dribbling bytes
// cannot hold its threads and queue.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "limits/handshake_deadline.h"
#include "metrics/registry.h"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace chatd::metrics {

class MetricsServer {
public:
    // Binds `address`:`port` (0 = any free port) and starts serving `registry`;
    // every request must arrive within `request_timeout` (read on each
    // accept) of its connection, or `watchdog` cuts it. Both must outlive the
    // server. Throws std::runtime_error when it cannot listen.
    MetricsServer(const Registry& registry, const std::string& address, std::uint16_t port,
                  limits::HandshakeWatchdog& watchdog, std::function<std::chrono::milliseconds()> request_timeout,
                  unsigned threads = 2);
    ~MetricsServer();  // stops, cutting scrapes in progress
    MetricsServer(const MetricsServer&) = delete;
    MetricsServer& operator=(const MetricsServer&) = delete;

    std::uint16_t port() const { return port_; }
    // "http://127.0.0.1:9464/metrics" (IPv6 hosts in brackets).
    std::string url() const;

private:
    std::string host_;
    std::uint16_t port_ = 0;
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace chatd::metrics
