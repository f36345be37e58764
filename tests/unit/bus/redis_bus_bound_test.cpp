// The Redis bus' outbound bound (RedisSettings::max_outbound_bytes) against
// a real redis-server: the bytes of the commands waiting for Redis are
// counted exactly as hiredis writes them; with Redis stopped, messages wait
// until one would go over the bound, and that one is refused (a Refused
// event and the publish_refused instrument) and never reaches Redis.
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <atomic>
#include <thread>

#include "bus/redis_bus.h"
#include "bus_recorder.h"
#include "redis_server.h"

namespace chatd::bus {
namespace {

using namespace std::chrono_literals;
using test::Recorder;

// Polls `done` (the bus' counters have no event to wait on) for up to `timeout`.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return done();
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

TEST(RespBytes, AreWhatHiredisWrites) {
    const std::string sha(40, 'a');
    const std::vector<std::vector<std::string>> commands{
        {"PING"},
        {""},
        {"EVALSHA", sha, "2", "t:room:r:meta", "t:room:r:log", std::string(9, 'x'), std::string(10, 'y')},
        {"SET", "k", std::string(99, 'v'), std::string(100, 'w'), std::string(12'345, 'z')},
        std::vector<std::string>(12, "arg"),
    };
    for (const auto& command : commands) {
        std::vector<const char*> pointers;
        std::vector<std::size_t> lengths;
        std::vector<std::string_view> views;
        for (const auto& arg : command) {
            pointers.push_back(arg.data());
            lengths.push_back(arg.size());
            views.push_back(arg);
        }
        char* formatted = nullptr;
        const int length =
            redisFormatCommandArgv(&formatted, static_cast<int>(command.size()), pointers.data(), lengths.data());
        ASSERT_GT(length, 0);
        redisFreeCommand(formatted);
        EXPECT_EQ(respCommandBytes(views), static_cast<std::size_t>(length)) << command.front();
    }
}

class RedisBusBound : public ::testing::Test {
protected:
    // Redis silent for a long while is not given up (the bound meets the stall first).
    std::unique_ptr<RedisBus> startBus(std::size_t bound) {
        RedisSettings s;
        s.endpoint.port = redis_.port();
        s.key_prefix = "t:";
        s.instance_id = "A";
        s.timeout = 60s;
        s.instance_ttl = 45s;
        s.max_outbound_bytes = bound;
        auto bus = std::make_unique<RedisBus>(std::move(s));
        bus->setInstruments({.published = {}, .publish_failed = {}, .publish_refused = [this] { ++refused_; }});
        bus->start(recorder_);
        EXPECT_TRUE(recorder_.waitSharing(true));
        EXPECT_TRUE(eventually([&] { return bus->outboundBytes() == 0; }));  // the setup and heartbeat answered
        return bus;
    }

    testing::RedisServer redis_;
    Recorder recorder_;
    std::atomic<int> refused_{0};
};

PublishRequest numbered(std::size_t index, std::size_t text_bytes) {
    return PublishRequest{"r", "alice", std::to_string(index) + ":" + std::string(text_bytes, 'x'),
                          "id" + std::to_string(index), ""};
}

TEST_F(RedisBusBound, AStalledRedisFillsTheBoundThenMessagesAreRefusedAndNeverShared) {
    constexpr std::size_t kBound = 16 * 1024;
    constexpr std::size_t kText = 1'000;
    auto bus = startBus(kBound);
    std::size_t first_refused = 0;
    {
        testing::PausedRedis paused(redis_);
        for (std::size_t index = 0; refused_ == 0; ++index) {
            ASSERT_LT(index, 2 * kBound / kText) << "twice the bound was published and nothing was refused";
            const std::size_t waiting = bus->outboundBytes();
            bus->publish(numbered(index, kText));
            ASSERT_TRUE(eventually([&] { return bus->outboundBytes() >= waiting + kText || refused_ > 0; }));
            if (refused_ > 0) first_refused = index;
        }
        const Refused refused = recorder_.take<Refused>();
        EXPECT_EQ(refused.request.id, "id" + std::to_string(first_refused));
        EXPECT_EQ(refused.request.text, numbered(first_refused, kText).text);
        EXPECT_LE(bus->outboundBytes(), kBound);
        EXPECT_GT(bus->outboundBytes(), kBound - 2 * kText);
        // A request that is no chat message is sent over the bound all the same.
        const std::size_t waiting = bus->outboundBytes();
        bus->release(ReleaseRequest{"r", "nobody", ""});
        EXPECT_TRUE(eventually([&] { return bus->outboundBytes() > waiting; }));
        EXPECT_EQ(refused_, 1);
    }
    // What waited is shared in order, numbered from 1; the refused one took no seq.
    for (std::size_t index = 0; index < first_refused; ++index) {
        const RemoteMessage got = recorder_.take<RemoteMessage>({}, 30s);
        EXPECT_EQ(got.message.id, "id" + std::to_string(index));
        EXPECT_EQ(got.message.seq, index + 1);
    }
    bus->publish(PublishRequest{"r", "alice", "after", std::string("after"), ""});
    const RemoteMessage after = recorder_.take<RemoteMessage>({}, 30s);
    EXPECT_EQ(after.message.id, "after");
    EXPECT_EQ(after.message.seq, first_refused + 1);
    EXPECT_TRUE(eventually([&] { return bus->outboundBytes() == 0; }));
    EXPECT_EQ(refused_, 1);
}

TEST_F(RedisBusBound, AMessageBiggerThanTheBoundGoesWhenNothingWaits) {
    auto bus = startBus(1'000);
    bus->publish(numbered(1, 5'000));
    EXPECT_EQ(recorder_.take<RemoteMessage>().message.id, "id1");
    EXPECT_EQ(refused_, 0);
}

}  // namespace
}  // namespace chatd::bus
