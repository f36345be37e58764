// Server: the whole running daemon minus process concerns (signals, command
// line): the HTTP server, the IO loops, the hub and the plugin pipeline.
// Tests run it in-process on port 0; the chatd binary runs it from main().
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "history/history_store.h"
#include "server/security.h"
#include "server/server_context.h"
#include "util/clock.h"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace chatd::net {
class IoLoop;
}
namespace chatd::chat {
class Hub;
class MessageStore;
}  // namespace chatd::chat
namespace chatd::limits {
class HandshakeWatchdog;
class LimitEvents;
}  // namespace chatd::limits
namespace chatd::metrics {
class MetricsServer;
class Registry;
}  // namespace chatd::metrics

namespace chatd::server {

// Thrown by Server::start() when a plugin cannot be loaded or refuses its
// configuration: an error in the configuration (the daemon exits 78), unlike
// a port in use.
class PluginError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ReloadResult {
    bool applied = false;
    std::vector<std::string> messages;  // why it was refused, or what needs a restart
    std::vector<std::string> changed;   // when applied: the top-level keys whose value changed
};

// What `chatdctl status` and /healthz show.
struct ServerStatus {
    std::chrono::seconds uptime{0};
    std::size_t connections = 0;
    std::size_t rooms = 0;
    std::string bus;  // "memory", or the Redis bus's state
    std::optional<history::StoreHealth> history;  // none with history.store: memory or the Redis bus
    std::string history_path;
};

// One plugin of the running pipeline with its message verdicts since the
// daemon started (the chatd_plugin_verdicts_total series, kept across reloads).
struct PluginReport {
    std::string name;
    std::uint64_t continued = 0;
    std::uint64_t dropped = 0;
    std::uint64_t rejected = 0;
    std::uint64_t errors = 0;  // failed hooks since the last reload
};

class DaemonActions;
class LivenessCheck;

class Server final : public ServerContext {
public:
    // `config` must be valid (config_loader checked it).
    explicit Server(config::Config config);
    ~Server() override;
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Opens the history store, loads plugins, starts the threads and listens.
    // Throws std::runtime_error with a one-line reason (port in use, ...;
    // PluginError when a plugin failed; history::StoreError when the history
    // store cannot be used); nothing keeps running after a failed start.
    void start();
    // Graceful stop: no new connections, every client gets close 1001, and
    // the call returns once all are closed or `grace` has passed.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));
    // Applies a new configuration while clients stay connected. Transactional:
    // when the new plugin pipeline cannot be built nothing changes.
    ReloadResult reload(config::Config next);

    std::uint16_t port() const { return port_; }
    // "http://127.0.0.1:8080"
    std::string url() const;
    std::size_t connectionCount() const;
    // For the control socket (server_control.cpp); any thread.
    ServerStatus status() const;
    std::vector<PluginReport> pluginReports() const;
    // Closes the session `session_id` (its id as clients see it) with
    // close code 4000 and `reason`; false when no such session is open
    // (one already closing counts as gone).
    // Waits for the session's IO loop, at most `timeout`.
    bool disconnect(std::uint64_t session_id, std::string_view reason, std::chrono::milliseconds timeout);
    // The IO loops and hub shards ("io loop 0", "hub shard 1") that have not
    // run the task the previous call gave them (liveness_check.h); for the
    // systemd watchdog, once per interval, from one thread.
    std::vector<std::string> silentWorkers();
    // The /metrics listener's port; 0 when metrics.enabled is false.
    std::uint16_t metricsPort() const;
    // Every metric of the daemon (also when the listener is off).
    const metrics::Registry& metricsRegistry() const { return *registry_; }
    // Posts, kicks and disconnects (the control socket's say/kick; the plugins').
    DaemonActions& actions() { return *actions_; }
    const chat::Hub& hub() const { return *hub_; }
    // The durable history store, open from start() until stop() has closed
    // it; nullptr with history.store: memory.
    history::HistoryStore* historyStore() const { return history_store_.get(); }
    // Counts and rate-limited log of every limit hit.

    // ServerContext
    std::shared_ptr<const config::Config> config() const override { return config_.load(); }
    net::ConnectionSlots& slots() override { return *slots_; }
    void adopt(util::UniqueFd fd, std::string peer, std::string early_bytes, chat::Mode mode,
               net::ConnectionSlot slot, AdmittedClient client) override;
    std::shared_ptr<plugin_host::Pipeline> pipeline() const override;
    std::string healthJson() const override;
    Security& security() override { return *security_; }
    metrics::DaemonMetrics& metrics() override { return *metrics_; }

private:
    // Queues closing `session_id` with `code` and `reason` onto its IO loop;
    // `found` (if given) learns whether it was open. False for a bad id.
    bool closeSession(std::uint64_t session_id, std::uint16_t code, std::string reason,
                      std::shared_ptr<std::promise<bool>> found = nullptr);
    void startHttp(const config::Config& config);
    void applyLive(const config::Config& config);
    // Registers what /metrics reads from the loops and the hub at scrape time.
    void registerScrapeSources();
    // Per limit: the LimitEvents count, or the IO loops' for the limits they enforce.
    std::uint64_t limitHits(int limit) const;

    // Declared first so that they outlive everything that reports to them.
    std::unique_ptr<metrics::Registry> registry_;
    std::unique_ptr<metrics::DaemonMetrics> metrics_;
    std::unique_ptr<limits::LimitEvents> limit_events_;
    std::unique_ptr<Security> security_;
    std::atomic<std::shared_ptr<const config::Config>> config_;
    std::shared_ptr<net::ConnectionSlots> slots_;
    // Before the hub: the hub writes to it, so it must outlive it.
    std::unique_ptr<history::HistoryStore> history_store_;
    std::unique_ptr<chat::MessageStore> message_store_;  // history_store_ as the hub sees it
    std::vector<std::unique_ptr<net::IoLoop>> loops_;
    std::unique_ptr<LivenessCheck> liveness_;
    // What plugins and the control socket act through; before the hub, whose
    // pipeline holds it, so that it outlives the plugins.
    std::unique_ptr<DaemonActions> actions_;
    std::unique_ptr<chat::Hub> hub_;
    std::unique_ptr<Poco::ThreadPool> http_pool_;
    std::unique_ptr<limits::HandshakeWatchdog> watchdog_;
    std::unique_ptr<Poco::Net::HTTPServer> http_;
    std::unique_ptr<metrics::MetricsServer> metrics_server_;
    std::atomic<unsigned> next_loop_{0};
    std::uint16_t port_ = 0;
    std::string bound_address_;
    util::SteadyTime started_at_;
    bool running_ = false;
};

}  // namespace chatd::server
