// A connection's read hold (flood control, Connection::holdReadingUntil)
// on a real IO loop over a loopback TCP connection: the loop's timer list
// ends it on time; it composes with pauseReading()/resumeReading() (reading
// resumes only once neither holds it); a held connection is not timed out
// for a missing pong. And the loop's event scope (IoLoop::setEventScope),
// which every message read runs inside; hold timers on the loop's grid.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "net/connection.h"
#include "net/io_loop.h"
#include "ws/frame_encoder.h"

namespace chatd::net {
namespace {

using namespace std::chrono_literals;
using Clock = util::SteadyClock;

// A connected pair of TCP sockets on 127.0.0.1 (TCP, not a socketpair: the
// kernel acknowledges what the test's end does not read, as a real client's does).
std::pair<util::UniqueFd, util::UniqueFd> loopbackPair() {
    util::UniqueFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (!listener || ::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener.get(), 1) != 0 ||
        ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw std::runtime_error("loopback listener");
    util::UniqueFd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!client || ::connect(client.get(), reinterpret_cast<sockaddr*>(&address), length) != 0)
        throw std::runtime_error("loopback connect");
    util::UniqueFd server(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!server) throw std::runtime_error("loopback accept");
    return {std::move(server), std::move(client)};
}

// Records when each message came (any thread may look); `on_message` runs
// on the loop thread for each, with its index.
struct Recorder {
    std::mutex mutex;
    std::vector<Clock::time_point> arrivals;
    bool closed = false;
    std::function<void(Connection&, std::size_t)> on_message;

    std::size_t count() {
        std::lock_guard lock(mutex);
        return arrivals.size();
    }
    Clock::time_point at(std::size_t index) {
        std::lock_guard lock(mutex);
        return arrivals.at(index);
    }
    bool isClosed() {
        std::lock_guard lock(mutex);
        return closed;
    }
};

class RecordingHandler : public ConnectionHandler {
public:
    explicit RecordingHandler(Recorder& recorder) : recorder_(recorder) {}
    void onOpen(Connection&) override {}
    void onMessage(Connection& connection, bool, std::string_view) override {
        std::size_t index = 0;
        {
            std::lock_guard lock(recorder_.mutex);
            index = recorder_.arrivals.size();
            recorder_.arrivals.push_back(Clock::now());
        }
        if (recorder_.on_message) recorder_.on_message(connection, index);
    }
    void onClose(Connection&, std::uint16_t, std::string_view) override {
        std::lock_guard lock(recorder_.mutex);
        recorder_.closed = true;
    }

private:
    Recorder& recorder_;
};

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 20s) {
    const auto deadline = Clock::now() + timeout;
    while (!condition()) {
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

// Runs `task` on the loop and waits for it.
bool runOnLoop(IoLoop& loop, const std::function<void()>& task) {
    std::promise<void> done;
    loop.post([&] {
        task();
        done.set_value();
    });
    return done.get_future().wait_for(30s) == std::future_status::ready;
}

constexpr std::uint64_t kId = 7;

// One loop, one connection whose client end the test holds (and never reads).
class ReadHold : public ::testing::Test {
protected:
    void start(LoopSettings settings = {}, IoLoop::EventScope scope = {}) {
        loop_ = std::make_unique<IoLoop>(0, settings);
        if (scope) loop_->setEventScope(std::move(scope));
        loop_->start();
        auto [server, client] = loopbackPair();
        client_ = std::move(client);
        auto server_end = std::make_shared<util::UniqueFd>(std::move(server));
        ASSERT_TRUE(runOnLoop(*loop_, [&] {
            loop_->adopt(std::make_unique<Connection>(*loop_, std::move(*server_end), kId, "test", std::string(),
                                                      std::make_unique<RecordingHandler>(recorder_), ConnectionSlot{}));
        }));
    }
    void TearDown() override {
        if (!loop_) return;
        client_ = util::UniqueFd();  // EOF: the closing handshake ends at once
        loop_->shutdown(Clock::now() + 5s);
        loop_->join();
    }
    // `count` text frames in one write.
    void sendFrames(int count) {
        std::string bytes;
        for (int i = 0; i < count; ++i) bytes += ws::encodeClientFrame(ws::Opcode::Text, "m" + std::to_string(i));
        ASSERT_EQ(::write(client_.get(), bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    }
    // Runs `action` on the connection, on the loop thread.
    void onConnection(const std::function<void(Connection&)>& action) {
        ASSERT_TRUE(runOnLoop(*loop_, [&] {
            if (Connection* connection = loop_->find(kId)) action(*connection);
        }));
    }
    std::int64_t held() { return loop_->stats().held_connections.load(); }

    Recorder recorder_;
    std::unique_ptr<IoLoop> loop_;
    util::UniqueFd client_;
};

// Frames already read and decoded wait too: the hold stops between frames.
TEST_F(ReadHold, AHoldEndsOnTimeAndStopsBetweenFramesAlreadyRead) {
    recorder_.on_message = [](Connection& connection, std::size_t index) {
        if (index == 0) connection.holdReadingUntil(Clock::now() + 300ms);
    };
    start();
    sendFrames(3);
    ASSERT_TRUE(eventually([&] { return recorder_.count() == 3; }));
    EXPECT_GE(recorder_.at(1) - recorder_.at(0), 300ms);
    EXPECT_LT(recorder_.at(1) - recorder_.at(0), 5s);
    EXPECT_EQ(held(), 0);
}

// A resume from the backpressure side does not cancel a hold.
TEST_F(ReadHold, AResumeDoesNotEndAHold) {
    recorder_.on_message = [](Connection& connection, std::size_t index) {
        if (index != 0) return;
        connection.holdReadingUntil(Clock::now() + 400ms);
        connection.pauseReading();
    };
    start();
    sendFrames(2);
    ASSERT_TRUE(eventually([&] { return recorder_.count() == 1; }));
    onConnection([](Connection& connection) { connection.resumeReading(); });
    ASSERT_TRUE(eventually([&] { return recorder_.count() == 2; }));
    EXPECT_GE(recorder_.at(1) - recorder_.at(0), 400ms);
}

// A hold that ends does not cancel a pause: reading waits for the resume.
TEST_F(ReadHold, AHoldThatEndsDoesNotEndAPause) {
    recorder_.on_message = [](Connection& connection, std::size_t index) {
        if (index != 0) return;
        connection.pauseReading();
        connection.holdReadingUntil(Clock::now() + 50ms);
    };
    start();
    sendFrames(2);
    ASSERT_TRUE(eventually([&] { return recorder_.count() == 1; }));
    ASSERT_TRUE(eventually([&] { return held() == 0; }));
    // The hold ended (its timer ran, and anything it let read was read in that
    // same loop iteration, before this task): still paused, so nothing more.
    onConnection([](Connection& connection) { EXPECT_TRUE(connection.readingPaused()); });
    EXPECT_EQ(recorder_.count(), 1u);
    onConnection([](Connection& connection) { connection.resumeReading(); });
    EXPECT_TRUE(eventually([&] { return recorder_.count() == 2; }));
}

// A later hold extends an earlier one: the earlier timer does not end it.
TEST_F(ReadHold, ALaterHoldExtendsTheHold) {
    recorder_.on_message = [](Connection& connection, std::size_t index) {
        if (index != 0) return;
        connection.holdReadingUntil(Clock::now() + 50ms);
        connection.holdReadingUntil(Clock::now() + 400ms);
    };
    start();
    sendFrames(2);
    ASSERT_TRUE(eventually([&] { return recorder_.count() == 2; }));
    EXPECT_GE(recorder_.at(1) - recorder_.at(0), 400ms);
}

// The client never answers pings (the test never reads): unheld it would be
// closed for "ping timeout" within ~1 s; held for 2 s it stays and is read after.
TEST_F(ReadHold, AHeldConnectionIsNotTimedOutForAMissingPong) {
    recorder_.on_message = [](Connection& connection, std::size_t index) {
        if (index == 0) connection.holdReadingUntil(Clock::now() + 2s);
    };
    LoopSettings settings;
    settings.ping_interval = 100ms;
    settings.ping_timeout = 100ms;
    start(settings);
    sendFrames(2);
    ASSERT_TRUE(eventually([&] { return recorder_.count() == 2; }));
    EXPECT_GE(recorder_.at(1) - recorder_.at(0), 2s);
    EXPECT_FALSE(recorder_.isClosed());
    // And unheld, the keepalive applies again: no pong, closed.
    EXPECT_TRUE(eventually([&] { return recorder_.isClosed(); }));
}

// Closing ends a hold: the peer's close frame (behind the held data) must be seen.
TEST_F(ReadHold, ClosingEndsTheHold) {
    recorder_.on_message = [](Connection& connection, std::size_t index) {
        if (index == 0) connection.holdReadingUntil(Clock::now() + 1h);
    };
    start();
    sendFrames(2);
    ASSERT_TRUE(eventually([&] { return recorder_.count() == 1; }));
    EXPECT_EQ(held(), 1);
    onConnection([](Connection& connection) {
        connection.close(1000, "bye");
        EXPECT_FALSE(connection.readingHeld());
    });
    EXPECT_EQ(held(), 0);
}

// The server holds each iteration's hub submits in this scope (one hand-over
// per shard per iteration): every message must be read inside it.
TEST_F(ReadHold, EveryMessageIsReadInsideTheEventScope) {
    std::atomic<bool> inside{false};
    std::atomic<int> scopes{0};
    std::atomic<int> outside{0};
    recorder_.on_message = [&](Connection&, std::size_t) {
        if (!inside) ++outside;
    };
    start({}, [&](const std::function<void()>& handle) {
        ++scopes;
        inside = true;
        handle();
        inside = false;
    });
    sendFrames(20);
    ASSERT_TRUE(eventually([&] { return recorder_.count() == 20; }));
    EXPECT_EQ(outside.load(), 0);
    EXPECT_GE(scopes.load(), 1);
}

// Hold timers fall on the loop's grid: never before the hold ends, at most
// one grain after it, and holds ending within one grain share a wake-up. A
// hold shorter than a grain ends on time: rounding it would cap a fast pace
// (1,000 msg/s, burst 1) at 100 messages a second.
TEST(HoldWakeTime, IsTheHoldsEndRoundedUpToTheGrain) {
    const auto grain = std::chrono::duration_cast<util::SteadyClock::duration>(IoLoop::kHoldGrain);
    const util::SteadyTime on_grid(grain * 1000);
    const util::SteadyTime long_ago = on_grid - 10 * grain;
    EXPECT_EQ(IoLoop::holdWakeTime(on_grid, long_ago), on_grid);
    EXPECT_EQ(IoLoop::holdWakeTime(on_grid + 1ns, long_ago), on_grid + grain);
    EXPECT_EQ(IoLoop::holdWakeTime(on_grid + grain - 1ns, long_ago), on_grid + grain);
    const util::SteadyTime now = util::steadyNow();
    for (const std::chrono::nanoseconds offset : {10000000ns, 10000001ns, 19999999ns, 25000000ns, 100000000ns}) {
        const util::SteadyTime wake = IoLoop::holdWakeTime(now + offset, now);
        EXPECT_GE(wake, now + offset);
        EXPECT_LT(wake, now + offset + grain);
    }
}

TEST(HoldWakeTime, AHoldShorterThanTheGrainEndsOnTime) {
    const util::SteadyTime now = util::steadyNow();
    for (const std::chrono::nanoseconds offset : {0ns, 1ns, 1000000ns, 9999999ns})
        EXPECT_EQ(IoLoop::holdWakeTime(now + offset, now), now + offset);
}

}  // namespace
}  // namespace chatd::net
