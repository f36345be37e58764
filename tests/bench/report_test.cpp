// Report: the JSON line parses (with the daemon's strict reader) and holds
// what was put in; the table shows labels, units and warnings.
#include "report.h"

#include <gtest/gtest.h>

#include <cmath>

#include "json/json_reader.h"

namespace chatd::bench {
namespace {

Report sample() {
    Report r;
    r.text("mode", "broad\"cast", "mode");
    r.number("deliveries_per_s", 1234567.891, "deliveries/s", "", 0);
    r.number("completeness", 0.5, "completeness", "", 3);
    r.number("undefined", NAN, "not measured");
    r.counts("failures", {{"http 503", 2}, {"connect: ECONNREFUSED", 1}}, "failed by cause");
    r.counts("losses", {}, "lost by cause");
    r.warn("generator saturated");
    return r;
}

TEST(Report, JsonLineIsStrictJsonWithEveryField) {
    const std::string line = sample().toJson();
    EXPECT_EQ(line.find('\n'), std::string::npos);
    std::string error;
    const auto value = json::parse(line, error);
    ASSERT_TRUE(value) << error << "\n" << line;
    EXPECT_EQ(*value->find("mode")->asString(), "broad\"cast");
    EXPECT_NEAR(*value->find("deliveries_per_s")->asDouble(), 1234567.891, 1e-3);  // 10 significant digits
    EXPECT_DOUBLE_EQ(*value->find("completeness")->asDouble(), 0.5);
    EXPECT_TRUE(value->find("undefined")->isNull());
    EXPECT_EQ(*value->find("failures")->find("http 503")->asUint(), 2u);
    EXPECT_TRUE(value->find("losses")->asObject()->empty());
    EXPECT_EQ(*(*value->find("warnings")->asArray())[0].asString(), "generator saturated");
}

TEST(Report, TableIsReadable) {
    const std::string table = sample().toTable();
    EXPECT_NE(table.find("deliveries/s"), std::string::npos);
    EXPECT_NE(table.find("1,234,568"), std::string::npos) << table;
    EXPECT_NE(table.find("0.500"), std::string::npos);
    EXPECT_NE(table.find("http 503 x2"), std::string::npos);
    EXPECT_EQ(table.find("lost by cause"), std::string::npos) << "empty counts are left out";
    EXPECT_NE(table.find("WARNING: generator saturated"), std::string::npos);
}

TEST(Report, QuotesControlCharacters) { EXPECT_EQ(jsonQuote("a\nb\x01"), "\"a\\nb\\u0001\""); }

}  // namespace
}  // namespace chatd::bench
