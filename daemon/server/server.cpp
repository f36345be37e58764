#include "server/server.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <spdlog/spdlog.h>

#include <stdexcept>
#include <thread>

#include "chat/hub.h"
#include "limits/handshake_deadline.h"
#include "limits/limit_events.h"
#include "metrics/daemon_metrics.h"
#include "metrics/metrics_server.h"
#include "metrics/registry.h"
#include "chat/session.h"
#include "config/config_loader.h"
#include "net/connection.h"
#include "net/io_loop.h"
#include "plugin_host/pipeline.h"
#include "server/accept_guard.h"
#include "server/bus_factory.h"
#include "server/liveness_check.h"
#include "server/daemon_actions.h"
#include "server/history_store_factory.h"
#include "server/message_store_adapter.h"
#include "server/log_setup.h"
#include "server/request_router.h"
#include "util/loop_failure.h"

namespace chatd::server {

namespace {

net::LoopSettings loopSettingsOf(const config::Config& config) {
    net::LoopSettings settings;
    settings.max_message_bytes = config.websocket.max_message_bytes;
    settings.send_queue_bytes = config.limits.send_queue_bytes;
    settings.ping_interval = config.websocket.ping_interval;
    settings.ping_timeout = config.websocket.ping_timeout;
    return settings;
}

chat::ChatSettings chatSettingsOf(const config::Config& config) {
    return chat::ChatSettings{.default_room = config.chat.default_room,
                              .history_size = config.chat.history_size,
                              .history_bytes = config.chat.history_bytes,
                              .history_total_bytes = config.chat.history_total_bytes,
                              .max_text_bytes = config.chat.max_text_bytes,
                              .max_rooms = config.limits.max_rooms,
                              .max_room_users = config.limits.max_room_users,
                              .send_queue_bytes = config.limits.send_queue_bytes,
                              .session_pending_commands = config.limits.session_pending_commands,
                              .shard_queue_bytes = config.limits.shard_queue_bytes,
                              .session_messages_per_second = config.limits.session_messages_per_second,
                              .session_message_burst = config.limits.session_message_burst,
                              .join_nick_per_second = config.chat.join_nick_per_second,
                              .join_nick_burst = config.chat.join_nick_burst,
                              .presence_max_members = config.chat.presence_max_members,
                              .presence_interval = config.chat.presence_interval,
                              .welcome_users = config.chat.welcome_users};
}

// Builds the plugin pipeline of `config`, acting (notices, posts, kicks)
// through `actions`, or throws PluginError with the loader's reason. On reload `previous` is the
// running pipeline: plugins that stay hand their state (rate-limit buckets)
// to their new instances.
std::shared_ptr<plugin_host::Pipeline> buildPipeline(const config::Config& config, DaemonActions& actions,
                                                     metrics::DaemonMetrics& metrics,
                                                     const plugin_host::Pipeline* previous = nullptr) {
    const plugin_host::PluginEnvironment environment{
        .actions = &actions, .state_dir = config.state_dir, .metrics = &metrics};
    auto built = plugin_host::Pipeline::build(config.plugins, config.plugin_dir, environment, previous);
    if (auto* error = std::get_if<std::string>(&built)) throw PluginError(*error);
    auto pipeline = std::get<std::shared_ptr<plugin_host::Pipeline>>(std::move(built));
    pipeline->attachMetrics(metrics);
    return pipeline;
}

unsigned ioThreadCount(const config::Config& config) {
    if (config.threads.io > 0) return config.threads.io;
    return std::max(1u, std::min(std::thread::hardware_concurrency(), 1u << chat::kLoopIndexBits));
}

// Sums one counter of every IO loop's stats.
template <typename Field>
double sumOverLoops(const std::vector<std::unique_ptr<net::IoLoop>>& loops, Field field) {
    double total = 0;
    for (const auto& loop : loops) total += static_cast<double>((loop->stats().*field).load(std::memory_order_relaxed));
    return total;
}

}  // namespace

Server::Server(config::Config config)
    : registry_(std::make_unique<metrics::Registry>()),
      metrics_(std::make_unique<metrics::DaemonMetrics>(*registry_)),
      limit_events_(std::make_unique<limits::LimitEvents>()),
      security_(std::make_unique<Security>(*metrics_, *limit_events_)),
      config_(std::make_shared<const config::Config>(std::move(config))),
      slots_(std::make_shared<net::ConnectionSlots>()) {
    metrics::registerProcessMetrics(*registry_);
    registerScrapeSources();
}

Server::~Server() { stop(std::chrono::milliseconds(0)); }

void Server::start() {
    const auto config = config_.load();
    applyLogLevel(config->log.level);
    started_at_ = util::steadyNow();
    // First: a store that cannot be used stops the start before any thread runs.
    history_store_ = openHistoryStore(*config, *registry_);
    const unsigned io_threads = ioThreadCount(*config);
    std::vector<net::IoLoop*> loop_pointers;
    for (unsigned i = 0; i < io_threads; ++i) {
        loops_.push_back(std::make_unique<net::IoLoop>(i, loopSettingsOf(*config)));
        // Logged (rate-limited) here; counted by the loop's stats (limitHits()).
        loops_.back()->setLimitReporter([this](net::LoopLimit limit, std::string_view detail) {
            limit_events_->log(
                limit == net::LoopLimit::MessageSize ? limits::Limit::MessageSize : limits::Limit::SlowConsumer,
                detail);
        });
        loop_pointers.push_back(loops_.back().get());
    }
    security_->configure(*config);
    auto bus = makeBus(*config);
    bus->setInstruments(
        {.published = [this](std::chrono::steady_clock::duration took) { metrics_->bus_publish_seconds.observe(took); },
         .publish_failed = [this] { metrics_->bus_publish_errors.inc(); },
         .publish_refused =
             [this, bound = config->bus.redis.max_outbound_bytes] {
                 metrics_->bus_publish_refused.inc();
                 limit_events_->hit(limits::Limit::BusOutbound,
                                    "a message refused (error unavailable): the commands Redis has not answered "
                                    "yet fill bus.redis.max_outbound_bytes (" +
                                        std::to_string(bound) + ")");
             }});
    hub_ = std::make_unique<chat::Hub>(std::move(loop_pointers), config->threads.hub, chatSettingsOf(*config),
                                       std::move(bus));
    hub_->setMetrics(chat::HubMetrics{.received_raw = &metrics_->messages_received.with({"raw"}),
                                      .received_json = &metrics_->messages_received.with({"json"}),
                                      .delivered = &metrics_->messages_delivered,
                                      .fanout_seconds = &metrics_->fanout_seconds,
                                      .limit_events = limit_events_.get(),
                                      .ignored_not_utf8 = &metrics_->messages_ignored.with({"not_utf8"}),
                                      .ignored_size = &metrics_->messages_ignored.with({"size"}),
                                      .ignored_plugin_output = &metrics_->messages_ignored.with({"plugin_output"})});
    actions_ = std::make_unique<DaemonActions>(*hub_, [this](std::uint64_t id, std::uint16_t code, std::string reason) {
        closeSession(id, code, std::move(reason));
    });
    if (history_store_) {
        message_store_ = std::make_unique<MessageStoreAdapter>(*history_store_);
        hub_->setMessageStore(message_store_.get());
    }
    hub_->setPipeline(buildPipeline(*config, *actions_, *metrics_));
    // What one iteration of an IO loop reads reaches each hub shard at once
    // (one lock and one wake-up per shard, not per message; with the store,
    // one commit for the lot): the shard, often on the same core, is not
    // woken for each message while the loop is still reading.
    for (auto& loop : loops_)
        loop->setEventScope([hub = hub_.get()](const std::function<void()>& handle) {
            chat::Hub::HeldSubmits held(*hub);
            handle();
        });
    // Plugins' broadcasts from other instances (the bus thread): queued for the
    // named plugin's on_peer_message on the pipeline in force (its delivery thread).
    hub_->setPluginBroadcastHandler([hub = hub_.get()](const std::string& instance, bus::PluginBroadcast broadcast) {
        if (auto pipeline = hub->pipeline())
            pipeline->onPeerMessage(instance, broadcast.plugin, std::move(broadcast.payload));
    });
    hub_->start();
    // Clients that connect at once should find the rooms shared; a Redis that
    // is not there yet does not stop the start (rooms are served locally).
    if (hub_->bus().shared() && !hub_->bus().waitUntilSharing(config->bus.redis.timeout))
        spdlog::warn("bus: Redis is not reachable yet; rooms are served by this instance alone until it is");
    for (auto& loop : loops_) loop->start();
    liveness_ = std::make_unique<LivenessCheck>();
    for (std::size_t i = 0; i < loops_.size(); ++i)
        liveness_->add("io loop " + std::to_string(i), [loop = loops_[i].get()](auto task) { loop->post(std::move(task)); });
    for (unsigned i = 0; i < hub_->shardCount(); ++i)
        liveness_->add("hub shard " + std::to_string(i), [this, i](auto task) { hub_->probeShard(i, std::move(task)); });
    running_ = true;
    try {
        startHttp(*config);
        if (config->metrics.enabled)
            metrics_server_ = std::make_unique<metrics::MetricsServer>(
                *registry_, config->metrics.listen, config->metrics.port, *watchdog_,
                [this] { return config_.load()->limits.handshake_timeout; });
    } catch (...) {
        stop(std::chrono::milliseconds(0));
        throw;
    }
    spdlog::info("listening on {} (WebSocket on {} and /; {} IO loops, {} hub shards, {} HTTP threads, {} plugins)",
                 url(), config->websocket.path, io_threads, config->threads.hub, config->http.threads,
                 config->plugins.size());
    if (metrics_server_) spdlog::info("metrics on {}", metrics_server_->url());
    if (config->auth.mode == config::AuthMode::Jwt) spdlog::info("auth: jwt (a token is required to connect)");
}

void Server::startHttp(const config::Config& config) {
    Poco::Net::ServerSocket socket;
    try {
        const Poco::Net::SocketAddress address(config.listen.address, config.listen.port);
        // SO_REUSEADDR (restart while old connections linger) but never
        // SO_REUSEPORT: a second chatd on a busy port must fail, not share it.
        if (address.family() == Poco::Net::SocketAddress::IPv6)
            socket.bind6(address, true, false, false);  // dual stack: "::" takes IPv4 too
        else
            socket.bind(address, true, false);
        socket.listen(1024);
    } catch (const Poco::Exception& error) {
        throw std::runtime_error("cannot listen on " + config.listen.address + ":" +
                                 std::to_string(config.listen.port) + ": " + error.displayText());
    }
    const auto bound = socket.address();
    port_ = bound.port();
    bound_address_ = bound.family() == Poco::Net::SocketAddress::IPv6 ? "[" + bound.host().toString() + "]"
                                                                      : bound.host().toString();

    auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
    params->setMaxThreads(static_cast<int>(config.http.threads));
    params->setMaxQueued(static_cast<int>(config.http.max_queued));
    params->setTimeout(
        Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(config.http.request_timeout).count()));
    params->setKeepAlive(true);
    // An idle keep-alive connection holds an HTTP thread: a browser keeps up
    // to six per tab, so a long wait starved the next tab (found by the browser tests).
    params->setKeepAliveTimeout(Poco::Timespan(1, 0));
    // Poco 1.11's TCPServerDispatcher::stop() wakes one idle HTTP thread;
    // the others saw the stop only when their idle wait (10 s by default)
    // ran out, so a stop after a burst of connections took up to 10 s. An
    // idle thread only goes back to the pool: a short wait costs nothing.
    params->setThreadIdleTime(Poco::Timespan(0, 250'000));
    params->setServerName("chatd");
    // A fixed pool: HTTP threads never grow with load (upgraded sockets leave it at once).
    const int http_threads = static_cast<int>(config.http.threads);
    http_pool_ = std::make_unique<Poco::ThreadPool>("http", http_threads, http_threads);
    http_ =
        std::make_unique<Poco::Net::HTTPServer>(Poco::makeShared<RequestRouter>(*this), *http_pool_, socket, params);
    // http.max_queued, limits.handshake_timeout and limits.max_pending_per_address
    // (slowloris), checked as each connection is accepted.
    watchdog_ = makeHandshakeWatchdog(*limit_events_);
    security_->setWatchdog(watchdog_.get());
    http_->setConnectionFilter(
        makeAcceptGuard(*http_, static_cast<int>(config.http.max_queued), *watchdog_,
                        {[this] { return config_.load(); }, [this] { return security_->addressLists(); }},
                        *limit_events_));
    http_->start();
}

std::string Server::url() const { return "http://" + bound_address_ + ":" + std::to_string(port_); }

void Server::stop(std::chrono::milliseconds grace) {
    if (!running_) return;
    running_ = false;
    spdlog::info("stopping: closing {} connections", connectionCount());
    metrics_server_.reset();
    // First no new connections, and every upgrade in progress handed over (the
    // pool is joined), so that the loops see every connection they must close.
    if (http_) http_->stopAll(true);  // idle keep-alive requests are cut
    if (http_pool_) http_pool_->joinAll();
    const auto deadline = util::steadyNow() + grace;
    for (auto& loop : loops_) loop->shutdown(deadline);
    for (auto& loop : loops_) loop->join();
    // Every message the clients sent is committed, and its done has run,
    // while the hub's shards still run to take the answers.
    if (history_store_) history_store_->flush();
    if (hub_) hub_->stop();
    http_.reset();
    security_->setWatchdog(nullptr);
    watchdog_.reset();
    http_pool_.reset();
    hub_.reset();  // the pipeline's last reference: plugins shut down here
    message_store_.reset();
    loops_.clear();
    history_store_.reset();  // drains: everything appended is committed
    spdlog::info("stopped");
}

void Server::adopt(util::UniqueFd fd, std::string peer, std::string early_bytes, chat::Mode mode,
                   net::ConnectionSlot slot, AdmittedClient client) {
    const auto index = static_cast<unsigned>(next_loop_.fetch_add(1, std::memory_order_relaxed) % loops_.size());
    net::IoLoop& loop = *loops_[index];
    const std::uint64_t id = hub_->newSessionId(index);
    // Tasks must be copyable, so the parts travel in one shared bundle; the
    // Connection is built on the loop thread (it reads the loop's settings).
    struct Parts {
        util::UniqueFd fd;
        std::string peer;
        std::string early_bytes;
        std::unique_ptr<chat::Session> session;
        net::ConnectionSlot slot;
    };
    auto parts = std::make_shared<Parts>(Parts{std::move(fd), std::move(peer), std::move(early_bytes),
                                               std::make_unique<chat::Session>(*hub_, id, mode, std::move(client.locked_nick),
                                                                                chat::ConnectionFacts{
                                                                                    .address = std::move(client.address),
                                                                                    .claims_json = std::move(client.claims_json)}),
                                               std::move(slot)});
    loop.post([&loop, id, parts] {
        loop.adopt(std::make_unique<net::Connection>(loop, std::move(parts->fd), id, std::move(parts->peer),
                                                     std::move(parts->early_bytes), std::move(parts->session),
                                                     std::move(parts->slot)));
    });
}

std::shared_ptr<plugin_host::Pipeline> Server::pipeline() const { return hub_ ? hub_->pipeline() : nullptr; }

std::vector<std::string> Server::silentWorkers() { return liveness_ ? liveness_->check() : std::vector<std::string>{}; }

std::size_t Server::connectionCount() const {
    std::size_t total = 0;
    for (const auto& loop : loops_) total += loop->stats().connections.load(std::memory_order_relaxed);
    return total;
}

std::string Server::healthJson() const {
    const ServerStatus now = status();
    return "{\"status\":\"ok\",\"uptime_s\":" + std::to_string(now.uptime.count()) +
           ",\"connections\":" + std::to_string(now.connections) + ",\"rooms\":" + std::to_string(now.rooms) +
           ",\"bus\":\"" + now.bus + "\"}";
}

ReloadResult Server::reload(config::Config next) {
    ReloadResult result;
    const auto running = config_.load();
    std::shared_ptr<plugin_host::Pipeline> pipeline;
    try {
        pipeline = buildPipeline(next, *actions_, *metrics_, hub_->pipeline().get());
    } catch (const std::exception& error) {
        result.messages.push_back(std::string("plugins: ") + error.what());
        return result;
    }
    try {
        security_->configure(next);
    } catch (const std::exception& error) {
        result.messages.push_back(std::string("auth: ") + error.what());
        return result;
    }
    for (const std::string& key : config::keysNeedingRestart(*running, next)) {
        result.messages.push_back(key + " changed: takes effect after a restart");
    }
    config::keepRestartKeys(*running, next);
    result.changed = config::changedKeys(*running, next);
    applyLive(next);
    hub_->setPipeline(std::move(pipeline));  // in-flight messages finish on the old one
    config_.store(std::make_shared<const config::Config>(std::move(next)));
    result.applied = true;
    return result;
}

void Server::applyLive(const config::Config& config) {
    applyLogLevel(config.log.level);
    if (history_store_) history_store_->setRetention(retentionOf(config));
    hub_->setSettings(chatSettingsOf(config));
    const net::LoopSettings settings = loopSettingsOf(config);
    for (auto& loop : loops_) loop->post([loop = loop.get(), settings] { loop->setSettings(settings); });
}

std::uint16_t Server::metricsPort() const { return metrics_server_ ? metrics_server_->port() : 0; }

std::uint64_t Server::limitHits(int limit) const {
    switch (static_cast<limits::Limit>(limit)) {
        case limits::Limit::SlowConsumer:
            return static_cast<std::uint64_t>(sumOverLoops(loops_, &net::LoopStats::slow_consumer_closes));
        case limits::Limit::MessageSize:
            return static_cast<std::uint64_t>(sumOverLoops(loops_, &net::LoopStats::too_large_closes));
        default:
            return limit_events_->hits(static_cast<limits::Limit>(limit));
    }
}

// Scrapes run on the metrics thread: they only read atomics of the loops and
// the hub, which exist while the metrics listener does (it stops first).
void Server::registerScrapeSources() {
    metrics::DaemonSources sources;
    sources.send_queue_bytes = [this] { return sumOverLoops(loops_, &net::LoopStats::queued_bytes); };
    sources.slow_consumer_closes = [this] { return sumOverLoops(loops_, &net::LoopStats::slow_consumer_closes); };
    sources.received_bytes = [this] { return sumOverLoops(loops_, &net::LoopStats::bytes_received); };
    sources.sent_bytes = [this] { return sumOverLoops(loops_, &net::LoopStats::bytes_sent); };
    sources.rooms = [this] { return hub_ ? static_cast<double>(hub_->roomCount()) : 0.0; };
    sources.shard_queue_bytes = [this] { return hub_ ? static_cast<double>(hub_->mailboxBytes()) : 0.0; };
    sources.paused_connections = [this] { return sumOverLoops(loops_, &net::LoopStats::paused_connections); };
    sources.held_connections = [this] { return sumOverLoops(loops_, &net::LoopStats::held_connections); };
    sources.history_bytes = [this] { return hub_ ? static_cast<double>(hub_->historyBytes()) : 0.0; };
    sources.uptime_seconds = [this] {
        return running_ ? std::chrono::duration<double>(util::steadyNow() - started_at_).count() : 0.0;
    };
    sources.bus_up = [this] { return hub_ && hub_->busState() == "degraded" ? 0.0 : 1.0; };
    sources.bus_outbound_bytes = [this] { return hub_ ? static_cast<double>(hub_->bus().outboundBytes()) : 0.0; };
    sources.loop_task_failures = [] { return static_cast<double>(util::loopTaskFailures()); };
    sources.limit_hits = [this] {
        std::vector<metrics::CallbackValue> values;
        for (std::size_t i = 0; i < limits::kLimitCount; ++i)
            values.push_back({{std::string(limits::limitName(static_cast<limits::Limit>(i)))},
                              static_cast<double>(limitHits(static_cast<int>(i)))});
        return values;
    };
    metrics::registerDaemonCallbacks(*registry_, std::move(sources));
}

}  // namespace chatd::server
