// /proc parsing, and reading this very process.
#include "proc_stats.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace chatd::bench {
namespace {

TEST(ProcStats, ParsesAStatLineWithSpacesInTheName) {
    // Fields 14/15 utime/stime = 250/150 ticks, 20 threads = 7, 24 rss = 1000 pages.
    const std::string line =
        "1234 (my (odd) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 150 0 0 20 0 7 0 12345 999999 1000 "
        "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";
    const auto sample = parseProcStat(line, 100, 4096);
    ASSERT_TRUE(sample);
    EXPECT_DOUBLE_EQ(sample->cpu_s, 4.0);
    EXPECT_EQ(sample->threads, 7u);
    EXPECT_EQ(sample->rss_bytes, 1000u * 4096);
}

TEST(ProcStats, RefusesTruncatedOrGarbledLines) {
    EXPECT_FALSE(parseProcStat("1234 (x) S 1 2 3", 100, 4096));
    EXPECT_FALSE(parseProcStat("no parenthesis at all", 100, 4096));
    EXPECT_FALSE(parseProcStat("1 (x) S 1 1 1 0 -1 0 0 0 0 0 zz 150 0 0 20 0 7 0 1 1 1", 100, 4096));
}

TEST(ProcStats, ReadsThisProcess) {
    const auto self = sampleProcess(::getpid());
    ASSERT_TRUE(self);
    EXPECT_GT(self->rss_bytes, 0u);
    EXPECT_GE(self->threads, 1u);
    const auto fds = openFileCount(::getpid());
    ASSERT_TRUE(fds);
    EXPECT_GE(*fds, 3u);
    EXPECT_FALSE(sampleProcess(0x3fffffff));  // no such pid
}

}  // namespace
}  // namespace chatd::bench
