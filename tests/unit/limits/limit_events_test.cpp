#include "limits/limit_events.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace chatd::limits {
namespace {

using namespace std::chrono_literals;
using Clock = LimitEvents::Clock;

struct Lines {
    std::mutex mutex;
    std::vector<std::string> lines;
    LimitEvents::Sink sink() {
        return [this](std::string_view line) {
            std::lock_guard lock(mutex);
            lines.emplace_back(line);
        };
    }
};

TEST(LimitEvents, EveryLimitHasADistinctName) {
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < kLimitCount; ++i) names.insert(limitName(static_cast<Limit>(i)));
    EXPECT_EQ(names.size(), kLimitCount);
    EXPECT_EQ(limitName(Limit::ConnectionsPerAddress), "connections_per_address");
}

TEST(LimitEvents, OneLinePerIntervalWithTheSuppressedCount) {
    Lines out;
    LimitEvents events(10s, out.sink());
    const auto t0 = Clock::now();
    events.hit(Limit::ConnectionRate, "peer 10.0.0.1", t0);
    events.hit(Limit::ConnectionRate, "peer 10.0.0.2", t0 + 1s);
    events.hit(Limit::ConnectionRate, "peer 10.0.0.3", t0 + 9s);
    events.hit(Limit::ConnectionRate, "peer 10.0.0.4", t0 + 10s);
    events.hit(Limit::ConnectionRate, "peer 10.0.0.5", t0 + 30s);
    ASSERT_EQ(out.lines.size(), 3u);
    EXPECT_EQ(out.lines[0], "limit hit: connection_rate: peer 10.0.0.1");
    EXPECT_EQ(out.lines[1], "limit hit: connection_rate: peer 10.0.0.4 (2 more since the last line)");
    EXPECT_EQ(out.lines[2], "limit hit: connection_rate: peer 10.0.0.5");
    EXPECT_EQ(events.hits(Limit::ConnectionRate), 5u);
}

TEST(LimitEvents, LimitsAreRateLimitedIndependently) {
    Lines out;
    LimitEvents events(10s, out.sink());
    const auto t0 = Clock::now();
    events.hit(Limit::Connections, "a", t0);
    events.hit(Limit::SlowConsumer, "b", t0);
    events.hit(Limit::Connections, "c", t0);
    EXPECT_EQ(out.lines.size(), 2u);
    EXPECT_EQ(events.hits(Limit::Connections), 2u);
    EXPECT_EQ(events.hits(Limit::SlowConsumer), 1u);
    EXPECT_EQ(events.hits(Limit::HeaderSize), 0u);
}

TEST(LimitEvents, LogIsRateLimitedLikeHitButCountsNothing) {
    Lines out;
    LimitEvents events(10s, out.sink());
    const auto t0 = Clock::now();
    events.log(Limit::MessageSize, "ws 1", t0);
    events.hit(Limit::MessageSize, "ws 2", t0 + 1s);  // the same window as log()'s line
    events.log(Limit::MessageSize, "ws 3", t0 + 10s);
    ASSERT_EQ(out.lines.size(), 2u);
    EXPECT_EQ(out.lines[0], "limit hit: message_size: ws 1");
    EXPECT_EQ(out.lines[1], "limit hit: message_size: ws 3 (1 more since the last line)");
    EXPECT_EQ(events.hits(Limit::MessageSize), 1u);  // only hit() counted
    EXPECT_EQ(limitName(Limit::HttpQueue), "http_queue");
}

TEST(LimitEvents, ConcurrentHitsAreAllCountedAndLoggedOnce) {
    Lines out;
    LimitEvents events(1h, out.sink());
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 10'000; ++i) events.hit(Limit::RoomUsers, "x");
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(events.hits(Limit::RoomUsers), 40'000u);
    EXPECT_EQ(out.lines.size(), 1u);
}

}  // namespace
}  // namespace chatd::limits
