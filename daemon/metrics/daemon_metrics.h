// The daemon's metric catalogue in one place: every name, help text, label
// and bucket layout chatd exposes on /metrics. DaemonMetrics registers the
// instruments that code bumps directly (keep the struct, use its references);
// registerDaemonCallbacks() registers what is read from existing state at
// scrape time; registerProcessMetrics() adds the standard process_* metrics.
#pragma once

#include <functional>

#include "metrics/registry.h"

namespace chatd::metrics {

struct DaemonMetrics {
    explicit DaemonMetrics(Registry& registry);

    // HTTP threads (UpgradeHandler): every upgrade attempt by outcome:
    // accepted, bad_request, origin, subprotocol, auth, connections,
    // connections_per_address, connection_rate, address_table, header_size,
    // not_found (an upgrade on a path that is no WebSocket endpoint).
    Family<Counter>& upgrades;
    // HTTP threads: failed token checks by reason (auth::failureName()).
    Family<Counter>& auth_failures;
    // IO loops (Session): open WebSocket connections by mode (raw, json): inc on adopt, dec on close.
    Family<Gauge>& connections;
    // IO loops (Session): chat messages received from clients, by mode.
    Family<Counter>& messages_received;
    // IO loops and hub shards: messages dropped without an answer, by reason:
    // not_utf8, size (raw frames), plugin_output (the plugins made the text empty or not UTF-8).
    Family<Counter>& messages_ignored;
    // Hub shards: deliveries (one per recipient of each broadcast).
    Counter& messages_delivered;
    // Hub shard -> IO loop: from the message entering the hub to its frame queued on a loop's members.
    Histogram& fanout_seconds;
    // Plugin pipeline: verdict per plugin (continue, replace, drop, reject, error) and hook latency.
    Family<Counter>& plugin_verdicts;
    Family<Histogram>& plugin_hook_seconds;
    // Any thread (plugin_host/custom_metrics.h): the plugins' own gauges,
    // keyed by entry name so they carry on across reloads.
    Family<Gauge>& plugin_custom;
    // The message bus (fed through bus::BusInstruments; chatd_bus_up is a
    // DaemonSources callback): bus_publish_seconds = publish call to the
    // bus's acknowledgement; bus_publish_errors = publishes that failed or
    // were lost (and are sent again); bus_publish_refused = messages refused
    // because too much waited for Redis (bus.redis.max_outbound_bytes).
    Histogram& bus_publish_seconds;
    Counter& bus_publish_errors;
    Counter& bus_publish_refused;
};

// Values the daemon already keeps; each function is called at scrape time on
// the metrics thread and must be thread-safe. An empty function leaves its metric out.
struct DaemonSources {
    std::function<double()> send_queue_bytes;      // chatd_send_queue_bytes (sum over connections)
    std::function<double()> slow_consumer_closes;  // chatd_slow_consumer_closes_total
    std::function<double()> rooms;                 // chatd_rooms
    std::function<double()> shard_queue_bytes;     // chatd_shard_queue_bytes (hub shards' mailboxes, estimated)
    std::function<double()> paused_connections;    // chatd_paused_connections (backpressure: not read now)
    std::function<double()> held_connections;      // chatd_held_connections (flood control: not read until a time)
    std::function<double()> history_bytes;         // chatd_history_bytes (all rooms' histories)
    std::function<double()> received_bytes;        // chatd_received_bytes_total (WebSocket bytes read)
    std::function<double()> sent_bytes;            // chatd_sent_bytes_total (WebSocket bytes written)
    Callback limit_hits;                           // chatd_limit_hits_total{limit}
    std::function<double()> uptime_seconds;        // chatd_uptime_seconds
    std::function<double()> bus_up;                // chatd_bus_up: 1 sharing (or the in-memory bus), 0 degraded
    std::function<double()> bus_outbound_bytes;    // chatd_bus_outbound_bytes: sent to Redis, not answered yet
    std::function<double()> loop_task_failures;    // chatd_loop_task_failures_total (util/loop_failure.h)
};
void registerDaemonCallbacks(Registry& registry, DaemonSources sources);

// process_resident_memory_bytes, process_open_fds, process_max_fds,
// process_cpu_seconds_total (from /proc/self), as the Prometheus client libraries name them.
void registerProcessMetrics(Registry& registry);

}  // namespace chatd::metrics
