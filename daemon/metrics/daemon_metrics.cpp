#include "metrics/daemon_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace chatd::metrics {

namespace {

Callback single(std::function<double()> source) {
    return [source = std::move(source)] { return std::vector<CallbackValue>{{{}, source()}}; };
}

void addIfSet(Registry& registry, const char* name, const char* help, MetricType type, std::function<double()> source) {
    if (source) registry.callback(name, help, type, {}, single(std::move(source)));
}

double residentBytes() {
    std::ifstream statm("/proc/self/statm");
    long long pages_total = 0, pages_resident = 0;
    statm >> pages_total >> pages_resident;
    return static_cast<double>(pages_resident) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

double openFds() {
    std::error_code error;
    double count = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end; it.increment(error))
        ++count;
    return count - 1;  // the iterator's own descriptor
}

double maxFds() {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    return static_cast<double>(limit.rlim_cur);
}

double cpuSeconds() {
    std::ifstream stat("/proc/self/stat");
    std::string line;
    std::getline(stat, line);
    // Fields after the command (which may hold spaces) start after the last ')'.
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i == 14) utime = std::stod(field);
        if (i == 15) stime = std::stod(field);
    }
    return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace

DaemonMetrics::DaemonMetrics(Registry& registry)
    : upgrades(registry.counterFamily("chatd_upgrades_total", "WebSocket upgrade requests by outcome.", {"result"})),
      auth_failures(registry.counterFamily("chatd_auth_failures_total", "Refused tokens (401) by reason.", {"reason"})),
      connections(registry.gaugeFamily("chatd_connections", "Open WebSocket connections by mode.", {"mode"})),
      messages_received(registry.counterFamily("chatd_messages_received_total",
                                               "Chat messages received from clients, by mode.", {"mode"})),
      messages_ignored(registry.counterFamily(
          "chatd_messages_ignored_total", "Messages dropped without an answer to the client, by reason.", {"reason"})),
      messages_delivered(registry.counter("chatd_messages_delivered_total",
                                          "Chat messages queued to recipients (one per recipient).")),
      fanout_seconds(registry.histogram("chatd_broadcast_fanout_seconds",
                                        "Time from a message entering the hub to its frame queued on an IO loop.",
                                        latencyBuckets())),
      plugin_verdicts(registry.counterFamily("chatd_plugin_verdicts_total", "Plugin message-hook verdicts.",
                                             {"plugin", "verdict"})),
      plugin_hook_seconds(registry.histogramFamily("chatd_plugin_hook_seconds", "Time spent in plugin hooks.",
                                                   {"plugin", "hook"}, latencyBuckets())),
      plugin_custom(registry.gaugeFamily(
          "chatd_plugin_custom", "Plugins' own metrics (metric_add/metric_set), by plugin entry, name and label.",
          {"plugin", "name", "label"})),
      bus_publish_seconds(registry.histogram("chatd_bus_publish_seconds",
                                             "Time from publishing a message on the bus to its acknowledgement.",
                                             latencyBuckets())),
      bus_publish_errors(registry.counter("chatd_bus_publish_errors_total", "Bus publishes that failed.")),
      bus_publish_refused(registry.counter(
          "chatd_bus_publish_refused_total",
          "Chat messages the bus refused (error unavailable): too many bytes waited for Redis already.")) {
    for (const char* mode : {"raw", "json"}) {
        connections.with({mode});
        messages_received.with({mode});
    }
    for (const char* reason : {"not_utf8", "size", "plugin_output"}) messages_ignored.with({reason});
    upgrades.with({"accepted"});
}

void registerDaemonCallbacks(Registry& registry, DaemonSources sources) {
    addIfSet(registry, "chatd_send_queue_bytes", "Bytes waiting in outbound queues.", MetricType::Gauge,
             std::move(sources.send_queue_bytes));
    addIfSet(registry, "chatd_slow_consumer_closes_total", "Connections closed with 1008 for falling behind.",
             MetricType::Counter, std::move(sources.slow_consumer_closes));
    addIfSet(registry, "chatd_rooms", "Rooms currently held.", MetricType::Gauge, std::move(sources.rooms));
    addIfSet(registry, "chatd_shard_queue_bytes",
             "Bytes (estimated) of the commands waiting in the hub shards' mailboxes or running.", MetricType::Gauge,
             std::move(sources.shard_queue_bytes));
    addIfSet(registry, "chatd_paused_connections",
             "Connections not read now because too much of what they sent waits at the hub (backpressure).",
             MetricType::Gauge, std::move(sources.paused_connections));
    addIfSet(registry, "chatd_held_connections",
             "Connections not read now because they sent faster than limits.session_messages_per_second "
             "(flood control).",
             MetricType::Gauge, std::move(sources.held_connections));
    addIfSet(registry, "chatd_history_bytes",
             "Memory held by the rooms' message history (frames and bookkeeping), all rooms together.",
             MetricType::Gauge, std::move(sources.history_bytes));
    addIfSet(registry, "chatd_received_bytes_total", "Bytes read from WebSocket connections.", MetricType::Counter,
             std::move(sources.received_bytes));
    addIfSet(registry, "chatd_sent_bytes_total", "Bytes written to WebSocket connections.", MetricType::Counter,
             std::move(sources.sent_bytes));
    addIfSet(registry, "chatd_uptime_seconds", "Seconds since the daemon started.", MetricType::Gauge,
             std::move(sources.uptime_seconds));
    addIfSet(registry, "chatd_bus_up", "1 when the message bus is connected (the in-memory bus: always), 0 when not.",
             MetricType::Gauge, std::move(sources.bus_up));
    addIfSet(registry, "chatd_bus_outbound_bytes",
             "Bytes of the commands sent to Redis and not answered yet (bounded by bus.redis.max_outbound_bytes).",
             MetricType::Gauge, std::move(sources.bus_outbound_bytes));
    addIfSet(registry, "chatd_loop_task_failures_total",
             "Tasks, commands and callbacks that threw on a loop thread (logged; the loop went on).",
             MetricType::Counter, std::move(sources.loop_task_failures));
    if (sources.limit_hits)
        registry.callback("chatd_limit_hits_total", "Times each limit refused or cut something.", MetricType::Counter,
                          {"limit"}, std::move(sources.limit_hits));
}

void registerProcessMetrics(Registry& registry) {
    registry.callback("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge, {},
                      single(residentBytes));
    registry.callback("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, {}, single(openFds));
    registry.callback("process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge, {},
                      single(maxFds));
    registry.callback("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                      MetricType::Counter, {}, single(cpuSeconds));
}

}  // namespace chatd::metrics
