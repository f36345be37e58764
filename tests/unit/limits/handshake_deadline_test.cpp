#include "limits/handshake_deadline.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <thread>

namespace chatd::limits {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Waits (bounded) until `done()` holds.
template <typename Predicate>
bool eventually(Predicate done, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = Clock::now() + timeout;
    while (!done()) {
        if (Clock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

class OkHandler : public Poco::Net::HTTPRequestHandler {
public:
    void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override {
        response.setContentLength(2);
        response.send() << "ok";
    }
};

// Disarms the deadline once the head is parsed, as the daemon's router will.
class DisarmingFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit DisarmingFactory(HandshakeWatchdog& watchdog) : watchdog_(watchdog) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override {
        disarmed_ = watchdog_.disarm(socketFdOf(request));
        return new OkHandler;  // Poco takes ownership
    }
    std::atomic<bool> disarmed_{false};

private:
    HandshakeWatchdog& watchdog_;
};

class HandshakeDeadlineTest : public ::testing::Test {
protected:
    void SetUp() override {
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
        port_ = socket.address().port();
        auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
        params->setTimeout(Poco::Timespan(10, 0));  // per read: longer than the whole test
        params->setKeepAlive(false);
        factory_ = new DisarmingFactory(watchdog_);
        server_ = std::make_unique<Poco::Net::HTTPServer>(factory_, socket, params);
        server_->setConnectionFilter(new HandshakeFilter(watchdog_, [] { return 300ms; }));
        server_->start();
    }
    void TearDown() override { server_->stopAll(true); }

    Poco::Net::StreamSocket connect() { return Poco::Net::StreamSocket(Poco::Net::SocketAddress("127.0.0.1", port_)); }

    HandshakeWatchdog watchdog_;
    std::uint16_t port_ = 0;
    DisarmingFactory* factory_ = nullptr;  // owned by the server
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

TEST_F(HandshakeDeadlineTest, SlowlorisIsCutAtTheDeadline) {
    auto client = connect();
    client.setReceiveTimeout(Poco::Timespan(0, 20'000));
    const auto start = Clock::now();
    client.sendBytes("GET / HTTP/1.1\r\nX-Slow: ", 24);
    bool closed = false;
    char byte = 'a';
    while (!closed && Clock::now() - start < 5s) {
        try {
            client.sendBytes(&byte, 1);  // one byte every ~20 ms keeps every single read short
            char buffer[256];
            closed = client.receiveBytes(buffer, sizeof buffer) == 0;
        } catch (const Poco::TimeoutException&) {
        } catch (const Poco::Exception&) {
            closed = true;  // reset by peer
        }
    }
    const auto elapsed = Clock::now() - start;
    EXPECT_TRUE(closed);
    EXPECT_GE(elapsed, 250ms);
    EXPECT_LT(elapsed, 3s);
    EXPECT_TRUE(eventually([&] { return watchdog_.expired() == 1; }));  // counted just after the cut
    EXPECT_FALSE(factory_->disarmed_);
}

TEST_F(HandshakeDeadlineTest, IdleConnectionIsCutToo) {
    auto client = connect();
    client.setReceiveTimeout(Poco::Timespan(5, 0));
    char buffer[16];
    int received = -1;
    try {
        received = client.receiveBytes(buffer, sizeof buffer);
    } catch (const Poco::Net::ConnectionResetException&) {
        received = 0;
    }
    EXPECT_EQ(received, 0);
    EXPECT_TRUE(eventually([&] { return watchdog_.expired() == 1; }));
}

TEST_F(HandshakeDeadlineTest, ConnectionPocoClosedItselfIsNotCountedAsCut) {
    auto client = connect();
    client.setReceiveTimeout(Poco::Timespan(5, 0));
    const std::string garbage = "NOT HTTP\r\n\r\n";  // Poco answers 400 itself; the router never sees it
    client.sendBytes(garbage.data(), static_cast<int>(garbage.size()));
    char buffer[512];
    while (client.receiveBytes(buffer, sizeof buffer) > 0) {
    }
    EXPECT_TRUE(eventually([&] { return watchdog_.armed() == 0; }));  // dropped at its deadline
    EXPECT_EQ(watchdog_.expired(), 0u);
    EXPECT_FALSE(factory_->disarmed_);
}

TEST_F(HandshakeDeadlineTest, AFinishedHeadIsDisarmedAndServed) {
    auto client = connect();
    client.setReceiveTimeout(Poco::Timespan(5, 0));
    const std::string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    client.sendBytes(request.data(), static_cast<int>(request.size()));
    std::string response;
    char buffer[512];
    for (int n; (n = client.receiveBytes(buffer, sizeof buffer)) > 0;) response.append(buffer, n);
    EXPECT_EQ(response.substr(0, 15), "HTTP/1.1 200 OK");
    EXPECT_TRUE(factory_->disarmed_);
    EXPECT_TRUE(eventually([&] { return watchdog_.armed() == 0; }));
    EXPECT_EQ(watchdog_.expired(), 0u);
}

TEST(HandshakeFilter, ARefusedConnectionIsNotArmedSoItsLastReferenceCanClose) {
    Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
    HandshakeWatchdog watchdog;
    bool refuse = true;
    HandshakeFilter filter(
        watchdog, [] { return 1h; }, [&](const Poco::Net::StreamSocket&) { return refuse; });
    Poco::Net::StreamSocket client(listener.address());
    EXPECT_FALSE(filter.accept(listener.acceptConnection()));
    EXPECT_EQ(watchdog.armed(), 0u);
    client.setReceiveTimeout(Poco::Timespan(2, 0));
    char byte;
    EXPECT_EQ(client.receiveBytes(&byte, 1), 0);  // the accepted socket died with its last reference
    refuse = false;
    Poco::Net::StreamSocket admitted_client(listener.address());
    Poco::Net::StreamSocket admitted = listener.acceptConnection();
    EXPECT_TRUE(filter.accept(admitted));
    EXPECT_EQ(watchdog.armed(), 1u);
}

TEST(HandshakeWatchdog, DisarmUnknownFdAndDestroyWithArmedSockets) {
    Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
    std::vector<Poco::Net::StreamSocket> clients;
    {
        HandshakeWatchdog watchdog;
        EXPECT_FALSE(watchdog.disarm(12345));
        for (int i = 0; i < 3; ++i) {
            clients.emplace_back(listener.address());
            watchdog.arm(listener.acceptConnection(), Clock::now() + 1h);
        }
        EXPECT_EQ(watchdog.armed(), 3u);
    }  // destroyed while armed: releases the sockets, never cuts them
    for (auto& client : clients) {
        client.setReceiveTimeout(Poco::Timespan(2, 0));
        char byte;
        EXPECT_EQ(client.receiveBytes(&byte, 1), 0);  // closed (our reference was the last), not hanging
    }
}

TEST(HandshakeWatchdog, EarlierDeadlineArmedLaterFiresFirst) {
    Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
    std::vector<int> order;
    std::mutex mutex;
    HandshakeWatchdog watchdog([&](const Poco::Net::StreamSocket& socket) {
        std::lock_guard lock(mutex);
        order.push_back(socket.impl()->sockfd());
    });
    Poco::Net::StreamSocket a_client(listener.address());
    Poco::Net::StreamSocket a = listener.acceptConnection();
    Poco::Net::StreamSocket b_client(listener.address());
    Poco::Net::StreamSocket b = listener.acceptConnection();
    const int a_fd = a.impl()->sockfd();
    const int b_fd = b.impl()->sockfd();
    watchdog.arm(a, Clock::now() + 400ms);
    watchdog.arm(b, Clock::now() + 50ms);  // wakes the thread sleeping for a's deadline
    ASSERT_TRUE(eventually([&] { return watchdog.expired() == 2; }));
    std::lock_guard lock(mutex);
    EXPECT_EQ(order, (std::vector<int>{b_fd, a_fd}));
}

}  // namespace
}  // namespace chatd::limits
