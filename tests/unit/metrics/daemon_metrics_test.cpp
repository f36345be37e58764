#include "metrics/daemon_metrics.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "metrics/text_encoder.h"

namespace chatd::metrics {
namespace {

bool has(const std::string& text, const std::string& line) { return text.find(line) != std::string::npos; }

TEST(DaemonMetrics, RegistersTheCatalogueWithZeroedKnownSeries) {
    Registry registry;
    DaemonMetrics metrics(registry);
    const std::string text = encodeText(registry.collect());
    EXPECT_TRUE(has(text, "chatd_connections{mode=\"raw\"} 0\n"));
    EXPECT_TRUE(has(text, "chatd_connections{mode=\"json\"} 0\n"));
    EXPECT_TRUE(has(text, "chatd_upgrades_total{result=\"accepted\"} 0\n"));
    EXPECT_TRUE(has(text, "# TYPE chatd_broadcast_fanout_seconds histogram\n"));
    EXPECT_FALSE(has(text, "chatd_plugin_verdicts_total{"));       // no plugin seen yet
    EXPECT_THROW(DaemonMetrics{registry}, std::invalid_argument);  // one catalogue per registry
}

TEST(DaemonMetrics, InstrumentsAreTheRegisteredOnes) {
    Registry registry;
    DaemonMetrics metrics(registry);
    metrics.connections.with({"json"}).inc();
    metrics.plugin_verdicts.with({"filter", "reject"}).inc();
    metrics.fanout_seconds.observe(std::chrono::microseconds(80));
    const std::string text = encodeText(registry.collect());
    EXPECT_TRUE(has(text, "chatd_connections{mode=\"json\"} 1\n"));
    EXPECT_TRUE(has(text, "chatd_plugin_verdicts_total{plugin=\"filter\",verdict=\"reject\"} 1\n"));
    EXPECT_TRUE(has(text, "chatd_broadcast_fanout_seconds_bucket{le=\"0.0001\"} 1\n"));
    EXPECT_TRUE(has(text, "chatd_broadcast_fanout_seconds_bucket{le=\"5e-05\"} 0\n"));
}

TEST(DaemonMetrics, CallbacksOnlyForTheSourcesGiven) {
    Registry registry;
    DaemonSources sources;
    sources.rooms = [] { return 3.0; };
    sources.limit_hits = [] { return std::vector<CallbackValue>{{{"connections"}, 2}, {{"slow_consumer"}, 1}}; };
    registerDaemonCallbacks(registry, std::move(sources));
    const std::string text = encodeText(registry.collect());
    EXPECT_TRUE(has(text, "chatd_rooms 3\n"));
    EXPECT_TRUE(has(text, "chatd_limit_hits_total{limit=\"connections\"} 2\n"));
    EXPECT_FALSE(has(text, "chatd_sent_bytes_total"));
}

TEST(DaemonMetrics, BusHookIsAGaugeAHistogramAndACounter) {
    Registry registry;
    DaemonMetrics metrics(registry);
    double up = 0;
    DaemonSources sources;
    sources.bus_up = [&up] { return up; };
    registerDaemonCallbacks(registry, std::move(sources));
    EXPECT_TRUE(has(encodeText(registry.collect()), "chatd_bus_up 0\n"));
    up = 1;
    metrics.bus_publish_seconds.observe(std::chrono::milliseconds(2));
    metrics.bus_publish_errors.inc();
    const std::string text = encodeText(registry.collect());
    EXPECT_TRUE(has(text, "# TYPE chatd_bus_up gauge\nchatd_bus_up 1\n"));
    EXPECT_TRUE(has(text, "chatd_bus_publish_seconds_count 1\n"));
    EXPECT_TRUE(has(text, "chatd_bus_publish_errors_total 1\n"));
}

TEST(ProcessMetrics, ReadThisProcess) {
    Registry registry;
    registerProcessMetrics(registry);
    const auto families = registry.collect();
    auto value = [&](const std::string& name) {
        for (const auto& family : families)
            if (family.name == name) return family.series.at(0).value;
        return -1.0;
    };
    EXPECT_GT(value("process_resident_memory_bytes"), 1e6);
    const double fds = value("process_open_fds");
    const int extra = ::dup(0);
    EXPECT_EQ(encodeText(registry.collect()).find("process_open_fds " + std::to_string(static_cast<int>(fds) + 1)) !=
                  std::string::npos,
              true);
    ::close(extra);
    EXPECT_GT(value("process_max_fds"), 0);
    EXPECT_GE(value("process_cpu_seconds_total"), 0);
}

}  // namespace
}  // namespace chatd::metrics
