// The bus in /metrics: chatd_bus_up follows the link to Redis, and every
// shared message is observed in chatd_bus_publish_seconds.
#include "redis_instances.h"
#include "security_helpers.h"

namespace chatd::testing {
namespace {

TEST_F(SharedRooms, MetricsFollowTheBusAndTimeEveryPublish) {
    EXPECT_EQ(metricValue(*a_, "chatd_bus_up"), 1);
    const double published_before = metricValue(*a_, "chatd_bus_publish_seconds_count");
    auto alice = joined(*a_, "r", "alice");
    auto bob = joined(*b_, "r", "bob");
    say(*alice, "one");
    messageWithText(*bob, "one");
    say(*alice, "two");
    messageWithText(*bob, "two");
    // The reply to a publish reaches A's bus after B could already see it.
    EXPECT_TRUE(waitUntil([&] { return metricValue(*a_, "chatd_bus_publish_seconds_count") == published_before + 2; }));
    EXPECT_EQ(metricValue(*b_, "chatd_bus_publish_seconds_count"), 0);

    redis_.stop();
    ASSERT_TRUE(waitBusState(*a_, "degraded"));
    EXPECT_EQ(metricValue(*a_, "chatd_bus_up"), 0);
    redis_.start();
    ASSERT_TRUE(waitBusState(*a_, "redis"));
    EXPECT_EQ(metricValue(*a_, "chatd_bus_up"), 1);
}

TEST(BusMetrics, TheInMemoryBusIsAlwaysUpAndNeverPublishesNorRefuses) {
    TestServer server;
    EXPECT_EQ(metricValue(server, "chatd_bus_up"), 1);
    EXPECT_EQ(metricValue(server, "chatd_bus_publish_seconds_count"), 0);
    EXPECT_EQ(metricValue(server, "chatd_bus_outbound_bytes"), 0);
    EXPECT_EQ(metricValue(server, "chatd_bus_publish_refused_total"), 0);
}

}  // namespace
}  // namespace chatd::testing
