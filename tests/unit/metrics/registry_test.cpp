#include "metrics/registry.h"

#include <gtest/gtest.h>

namespace chatd::metrics {
namespace {

TEST(MetricNames, FollowThePrometheusDataModel) {
    EXPECT_TRUE(isValidMetricName("chatd_connections"));
    EXPECT_TRUE(isValidMetricName("a:b_c9"));
    EXPECT_TRUE(isValidMetricName("_x"));
    EXPECT_FALSE(isValidMetricName(""));
    EXPECT_FALSE(isValidMetricName("9lives"));
    EXPECT_FALSE(isValidMetricName("chatd-connections"));
    EXPECT_FALSE(isValidMetricName("chatd connections"));
    EXPECT_TRUE(isValidLabelName("mode"));
    EXPECT_TRUE(isValidLabelName("_x1"));
    EXPECT_FALSE(isValidLabelName("__name__"));
    EXPECT_FALSE(isValidLabelName("a:b"));
    EXPECT_FALSE(isValidLabelName("1a"));
    EXPECT_FALSE(isValidLabelName(""));
}

TEST(Registry, RefusesBadRegistrations) {
    Registry registry;
    registry.counter("a_total", "");
    EXPECT_THROW(registry.counter("a_total", ""), std::invalid_argument);   // twice
    EXPECT_THROW(registry.gauge("a_total", ""), std::invalid_argument);     // twice, other type
    EXPECT_THROW(registry.counter("requests", ""), std::invalid_argument);  // counters end in _total
    EXPECT_THROW(registry.gauge("bad-name", ""), std::invalid_argument);
    EXPECT_THROW(registry.gaugeFamily("g", "", {"x", "x"}), std::invalid_argument);
    EXPECT_THROW(registry.gaugeFamily("g2", "", {"__x"}), std::invalid_argument);
    EXPECT_THROW(registry.histogramFamily("h", "", {"le"}, {1}), std::invalid_argument);
    EXPECT_THROW(registry.histogram("h2", "", {2, 1}), std::invalid_argument);
    EXPECT_NO_THROW(registry.histogram("h2", "", {1, 2}));  // the failed attempt registered nothing
    EXPECT_THROW(registry.callback("c", "", MetricType::Histogram, {}, {}), std::invalid_argument);
}

TEST(Registry, FamilyChildrenAreStableAndNeedOneValuePerLabel) {
    Registry registry;
    auto& family = registry.counterFamily("x_total", "", {"a", "b"});
    Counter& one = family.with({"1", "2"});
    one.inc();
    EXPECT_EQ(&family.with({"1", "2"}), &one);
    EXPECT_EQ(family.with({"1", "2"}).value(), 1u);
    EXPECT_THROW(family.with({"1"}), std::invalid_argument);
    EXPECT_THROW(family.with({"1", "2", "3"}), std::invalid_argument);
}

TEST(Registry, CollectIsOrderedByNameThenLabelsAndSkipsEmptyFamilies) {
    Registry registry;
    registry.gauge("zeta", "z").set(3);
    auto& by_mode = registry.counterFamily("alpha_total", "a", {"mode"});
    by_mode.with({"raw"}).inc(2);
    by_mode.with({"json"}).inc(5);
    registry.counterFamily("empty_total", "no children yet", {"x"});
    registry.histogram("mid", "m", {1}).observe(0.5);
    registry.callback("cb", "c", MetricType::Gauge, {"k"}, [] {
        return std::vector<CallbackValue>{{{"b"}, 2}, {{"a"}, 1}};
    });
    const auto families = registry.collect();
    ASSERT_EQ(families.size(), 4u);
    EXPECT_EQ(families[0].name, "alpha_total");
    EXPECT_EQ(families[1].name, "cb");
    EXPECT_EQ(families[2].name, "mid");
    EXPECT_EQ(families[3].name, "zeta");
    ASSERT_EQ(families[0].series.size(), 2u);
    EXPECT_EQ(families[0].series[0].labels, (LabelPairs{{"mode", "json"}}));
    EXPECT_EQ(families[0].series[0].value, 5);
    EXPECT_EQ(families[1].series[0].labels, (LabelPairs{{"k", "a"}}));
    EXPECT_EQ(families[1].type, MetricType::Gauge);
    ASSERT_TRUE(families[2].series[0].histogram);
    EXPECT_EQ(families[2].series[0].histogram->cumulative, (std::vector<std::uint64_t>{1, 1}));
}

TEST(Registry, CallbackWithWrongLabelCountIsAnError) {
    Registry registry;
    registry.callback("cb", "", MetricType::Gauge, {"k"}, [] { return std::vector<CallbackValue>{{{}, 1}}; });
    EXPECT_THROW(registry.collect(), std::logic_error);
}

}  // namespace
}  // namespace chatd::metrics
