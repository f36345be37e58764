// bigroomReport: the fields of each phase are there (and only with their
// phase), bad or missing figures are null, and the warnings say what failed.
#include "bigroom_report.h"

#include <gtest/gtest.h>

#include "json/json_reader.h"

namespace chatd::bench {
namespace {

Options bigroom(unsigned churners, unsigned flooders) {
    Options o;
    o.mode = Mode::Bigroom;
    o.protocol = Protocol::Json;
    o.clients = 100;
    o.senders = 10;
    o.rate = 1;
    o.churners = churners;
    o.churn_rate = churners ? 20 : 0;
    o.flooders = flooders;
    return o;
}

BigroomResults filled() {
    BigroomResults r;
    r.fill_clients = r.fill_joined = 100;
    r.fill_s = 1.5;
    r.join_latency.record(2'000'000);
    r.presence_frames = 250;
    r.fill_rss_kb = 20'000;
    r.fill_cpu_s = 0.5;
    return r;
}

BigroomResults chatted() {
    BigroomResults r = filled();
    r.chatted = true;
    r.chat_s = 10;
    r.sent = 100;
    r.delivered = 9'990;
    r.expected = 10'000;
    r.complete_messages = 90;
    r.latency.record(10'000'000);
    r.chat_cpu_s = 2;
    r.quiet_peak_rss_kb = 21'000;
    r.end_rss_kb = 22'000;
    return r;
}

json::Value parsed(const Report& report) {
    std::string error;
    auto value = json::parse(report.toJson(), error);
    EXPECT_TRUE(value) << error << ": " << report.toJson();
    return value ? *value : json::Value();
}

double number(const json::Value& value, const std::string& key) {
    const json::Value* field = value.find(key);
    if (!field || !field->asDouble()) {
        ADD_FAILURE() << "no number " << key;
        return -1;
    }
    return *field->asDouble();
}

bool isNull(const json::Value& value, const std::string& key) {
    const json::Value* field = value.find(key);
    return field && !field->asDouble() && !field->asString();
}

TEST(BigroomReport, TheFillAloneWhenItDidNotComplete) {
    BigroomResults r = filled();
    r.fill_joined = 90;
    r.fill_s = NAN;
    r.fill_closed = 3;
    r.losses = {{"closed by server: 1008", 3}};
    r.skipped_why = "the fill did not complete";
    const Report report = bigroomReport(bigroom(0, 0), r);
    const json::Value v = parsed(report);
    EXPECT_EQ(number(v, "fill_clients"), 100);
    EXPECT_EQ(number(v, "fill_joined"), 90);
    EXPECT_TRUE(isNull(v, "fill_s"));
    EXPECT_EQ(number(v, "fill_closed"), 3);
    EXPECT_EQ(number(v, "fill_server_rss_kb"), 20'000);
    EXPECT_EQ(number(v, "presence_per_client"), 2.5);
    EXPECT_EQ(number(v, "lost_connections"), 3);
    EXPECT_EQ(v.find("completeness"), nullptr);
    EXPECT_EQ(v.find("churn_leaves"), nullptr);
    EXPECT_EQ(v.find("flood_p99_ratio"), nullptr);
    ASSERT_EQ(report.warnings().size(), 2u);
    EXPECT_EQ(report.warnings()[0], "10 of 100 joins were not answered within --setup-timeout");
    EXPECT_EQ(report.warnings()[1], "no chat measured: the fill did not complete");
}

TEST(BigroomReport, FillThenChat) {
    const json::Value v = parsed(bigroomReport(bigroom(0, 0), chatted()));
    EXPECT_EQ(number(v, "fill_s"), 1.5);
    EXPECT_NEAR(number(v, "join_p99_ms"), 2, 0.05);
    EXPECT_EQ(number(v, "completeness"), 0.999);
    EXPECT_EQ(number(v, "incomplete_messages"), 10);
    EXPECT_NEAR(number(v, "latency_p99_ms"), 10, 0.2);
    EXPECT_EQ(number(v, "server_cpu_percent"), 20);
    EXPECT_EQ(number(v, "server_peak_rss_kb"), 21'000);
    EXPECT_EQ(number(v, "server_rss_kb"), 22'000);
    EXPECT_EQ(v.find("churn_leaves"), nullptr);
    EXPECT_EQ(v.find("flood_s"), nullptr);
}

TEST(BigroomReport, ChurnCountsCyclesPerSecond) {
    BigroomResults r = chatted();
    r.churn_leaves = 200;
    r.churn_joins = 199;
    r.churn_skipped = 1;
    r.rejoin_latency.record(4'000'000);
    const json::Value v = parsed(bigroomReport(bigroom(50, 0), r));
    EXPECT_EQ(number(v, "churn_leaves"), 200);
    EXPECT_EQ(number(v, "churn_joins"), 199);
    EXPECT_EQ(number(v, "churn_per_s"), 20);
    EXPECT_EQ(number(v, "churn_target_per_s"), 20);
    EXPECT_EQ(number(v, "churn_skipped"), 1);
    EXPECT_NEAR(number(v, "rejoin_p99_ms"), 4, 0.1);
}

TEST(BigroomReport, FloodComparesTheMembersP99WithTheQuietPhase) {
    BigroomResults r = chatted();
    r.flood_s = 10;
    r.flood_sent = 50'000;
    r.flood_delivered = 40'000;
    r.flood_latency.record(25'000'000);
    r.flood_peak_rss_kb = 60'000;
    r.flood_cpu_s = 9;
    const json::Value v = parsed(bigroomReport(bigroom(0, 5), r));
    EXPECT_EQ(number(v, "flood_delivered_per_s"), 4'000);
    EXPECT_NEAR(number(v, "flood_latency_p99_ms"), 25, 0.5);
    EXPECT_NEAR(number(v, "flood_p99_ratio"), 2.5, 0.1);
    EXPECT_EQ(number(v, "flood_server_peak_rss_kb"), 60'000);
    EXPECT_EQ(number(v, "flood_server_cpu_percent"), 90);
    EXPECT_TRUE(isNull(v, "flooder_latency_p99_ms"));  // no flood copy came back
}

}  // namespace
}  // namespace chatd::bench
