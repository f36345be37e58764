// parseInteger, parseSize, parseDuration and their printed forms.
#include <gtest/gtest.h>

#include "config/units.h"

namespace chatd::config {
namespace {

using namespace std::chrono_literals;

TEST(Units, IntegersAreStrictDecimal) {
    EXPECT_EQ(parseInteger("0"), 0);
    EXPECT_EQ(parseInteger("8080"), 8080);
    EXPECT_EQ(parseInteger("-1"), -1);
    EXPECT_EQ(parseInteger("9223372036854775807"), INT64_MAX);
    for (const char* bad :
         {"", "-", "+1", " 1", "1 ", "1.5", "0x10", "10_000", "abc", "1e3", "9223372036854775808", "--1"})
        EXPECT_FALSE(parseInteger(bad).has_value()) << bad;
}

TEST(Units, SizesTakeBinaryAndDecimalUnits) {
    EXPECT_EQ(parseSize("4096"), 4096);
    EXPECT_EQ(parseSize("-5"), -5);  // refused later by the range check
    EXPECT_EQ(parseSize("7B"), 7);
    EXPECT_EQ(parseSize("64KiB"), 65536);
    EXPECT_EQ(parseSize("64 KiB"), 65536);
    EXPECT_EQ(parseSize("1MiB"), 1048576);
    EXPECT_EQ(parseSize("2GiB"), 2147483648LL);
    EXPECT_EQ(parseSize("64KB"), 64000);
    EXPECT_EQ(parseSize("1MB"), 1000000);
    EXPECT_EQ(parseSize("3GB"), 3000000000LL);
    for (const char* bad : {"", "KiB", "64kib", "64K", "64 ", "64  KiB", "1.5MiB", "-1KiB", "64KiBs", "64 MiB ",
                            "99999999999999GiB", "abc"})
        EXPECT_FALSE(parseSize(bad).has_value()) << bad;
}

TEST(Units, DurationsNeedAUnit) {
    EXPECT_EQ(parseDuration("500ms").value, 500ms);
    EXPECT_EQ(parseDuration("10s").value, 10s);
    EXPECT_EQ(parseDuration("2m").value, 2min);
    EXPECT_EQ(parseDuration("1h").value, 1h);
    EXPECT_EQ(parseDuration("0s").problem, DurationProblem::None);
    EXPECT_EQ(parseDuration("10").problem, DurationProblem::MissingUnit);
    EXPECT_EQ(parseDuration("-10").problem, DurationProblem::MissingUnit);
    for (const char* bad : {"", "s", "10 s", "10S", "1.5s", "-1s", "10sec", "1d", "1m30s", "9999999999999999h"})
        EXPECT_EQ(parseDuration(bad).problem, DurationProblem::Malformed) << bad;
}

TEST(Units, DurationsPrintInTheLargestExactUnit) {
    EXPECT_EQ(formatDuration(0ms), "0ms");
    EXPECT_EQ(formatDuration(100ms), "100ms");
    EXPECT_EQ(formatDuration(1500ms), "1500ms");
    EXPECT_EQ(formatDuration(1s), "1s");
    EXPECT_EQ(formatDuration(90s), "90s");
    EXPECT_EQ(formatDuration(10min), "10m");
    EXPECT_EQ(formatDuration(1h), "1h");
}

TEST(Units, SizesPrintWithTheirBinarySpelling) {
    EXPECT_EQ(formatSize(0), "0");
    EXPECT_EQ(formatSize(125), "125");
    EXPECT_EQ(formatSize(4096), "4096 (4KiB)");
    EXPECT_EQ(formatSize(67108864), "67108864 (64MiB)");
    EXPECT_EQ(formatSize(1073741824), "1073741824 (1GiB)");
}

}  // namespace
}  // namespace chatd::config
