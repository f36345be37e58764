#include "metrics/text_encoder.h"

#include <gtest/gtest.h>

#include <limits>

namespace chatd::metrics {
namespace {

TEST(FormatValue, IntegersPlainOthersShortestExact) {
    EXPECT_EQ(formatValue(0), "0");
    EXPECT_EQ(formatValue(42), "42");
    EXPECT_EQ(formatValue(-7), "-7");
    EXPECT_EQ(formatValue(0.5), "0.5");
    EXPECT_EQ(formatValue(0.1), "0.1");
    EXPECT_EQ(formatValue(5e-05), "5e-05");
    EXPECT_EQ(formatValue(1e20), "1e+20");
    EXPECT_EQ(formatValue(std::numeric_limits<double>::infinity()), "+Inf");
    EXPECT_EQ(formatValue(-std::numeric_limits<double>::infinity()), "-Inf");
    EXPECT_EQ(formatValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(Escaping, HelpAndLabelValues) {
    EXPECT_EQ(escapeHelp("a\\b\nc\"d"), "a\\\\b\\nc\"d");  // quotes stay in HELP
    EXPECT_EQ(escapeLabelValue("a\\b\nc\"d"), "a\\\\b\\nc\\\"d");
    EXPECT_EQ(escapeLabelValue("héllo"), "héllo");  // UTF-8 passes through
}

TEST(EncodeText, ExactOutputForEveryKind) {
    Registry registry;
    registry.counter("chatd_messages_delivered_total", "Deliveries.").inc(3);
    auto& connections = registry.gaugeFamily("chatd_connections", "Open connections by mode.", {"mode"});
    connections.with({"raw"}).set(2);
    connections.with({"json"}).set(5);
    auto& latency =
        registry.histogramFamily("chatd_hook_seconds", "Hook time.\nSecond line \\ end.", {"plugin"}, {0.005, 0.5, 1});
    latency.with({"fil\"ter"}).observe(0.25);
    latency.with({"fil\"ter"}).observe(2);
    const std::string expected =
        "# HELP chatd_connections Open connections by mode.\n"
        "# TYPE chatd_connections gauge\n"
        "chatd_connections{mode=\"json\"} 5\n"
        "chatd_connections{mode=\"raw\"} 2\n"
        "# HELP chatd_hook_seconds Hook time.\\nSecond line \\\\ end.\n"
        "# TYPE chatd_hook_seconds histogram\n"
        "chatd_hook_seconds_bucket{plugin=\"fil\\\"ter\",le=\"0.005\"} 0\n"
        "chatd_hook_seconds_bucket{plugin=\"fil\\\"ter\",le=\"0.5\"} 1\n"
        "chatd_hook_seconds_bucket{plugin=\"fil\\\"ter\",le=\"1\"} 1\n"
        "chatd_hook_seconds_bucket{plugin=\"fil\\\"ter\",le=\"+Inf\"} 2\n"
        "chatd_hook_seconds_sum{plugin=\"fil\\\"ter\"} 2.25\n"
        "chatd_hook_seconds_count{plugin=\"fil\\\"ter\"} 2\n"
        "# HELP chatd_messages_delivered_total Deliveries.\n"
        "# TYPE chatd_messages_delivered_total counter\n"
        "chatd_messages_delivered_total 3\n";
    EXPECT_EQ(encodeText(registry.collect()), expected);
}

TEST(EncodeText, UnlabelledHistogramHasOnlyLe) {
    Registry registry;
    registry.histogram("h", "", {1}).observe(1);  // no help: no HELP line
    EXPECT_EQ(encodeText(registry.collect()),
              "# TYPE h histogram\n"
              "h_bucket{le=\"1\"} 1\n"
              "h_bucket{le=\"+Inf\"} 1\n"
              "h_sum 1\n"
              "h_count 1\n");
}

TEST(EncodeText, NothingRegisteredIsEmpty) { EXPECT_EQ(encodeText(Registry().collect()), ""); }

TEST(EncodeText, CallbackValuesAreReadAtEachScrape) {
    Registry registry;
    double value = 1;
    registry.callback("process_open_fds", "Open fds.", MetricType::Gauge, {}, [&] {
        return std::vector<CallbackValue>{{{}, value}};
    });
    EXPECT_NE(encodeText(registry.collect()).find("process_open_fds 1\n"), std::string::npos);
    value = 7;
    EXPECT_NE(encodeText(registry.collect()).find("process_open_fds 7\n"), std::string::npos);
}

}  // namespace
}  // namespace chatd::metrics
