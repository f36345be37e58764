// Prints a /metrics page with every metric of the daemon's catalogue (with
// sample values, awkward label values included) for `promtool check metrics`.
#include <iostream>

#include "metrics/daemon_metrics.h"
#include "metrics/text_encoder.h"

int main() {
    using namespace chatd::metrics;
    Registry registry;
    DaemonMetrics metrics(registry);
    metrics.connections.with({"raw"}).set(3);
    metrics.messages_received.with({"json"}).inc(10);
    metrics.messages_delivered.inc(30);
    metrics.fanout_seconds.observe(0.00012);
    metrics.upgrades.with({"origin"}).inc();
    metrics.auth_failures.with({"expired"}).inc();
    metrics.plugin_verdicts.with({"filter", "reject"}).inc();
    metrics.plugin_hook_seconds.with({"we\"ird\\name\nx", "on_message"}).observe(0.002);
    metrics.bus_publish_seconds.observe(0.0009);
    DaemonSources sources;
    sources.send_queue_bytes = [] { return 4096.0; };
    sources.slow_consumer_closes = [] { return 2.0; };
    sources.rooms = [] { return 5.0; };
    sources.received_bytes = [] { return 1234.0; };
    sources.sent_bytes = [] { return 5678.0; };
    sources.uptime_seconds = [] { return 12.5; };
    sources.bus_up = [] { return 1.0; };
    sources.limit_hits = [] { return std::vector<CallbackValue>{{{"connections"}, 1}, {{"connection_rate"}, 4}}; };
    registerDaemonCallbacks(registry, std::move(sources));
    registerProcessMetrics(registry);
    std::cout << encodeText(registry.collect());
}
