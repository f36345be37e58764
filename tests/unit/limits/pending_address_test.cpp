// The watchdog's count of pending request heads per client address
// (limits.max_pending_per_address): refusal at the limit, the count given back
// on disarm, cut and close, and an idle kept-alive connection giving way to a
// new one of its address.
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <thread>

#include "limits/handshake_deadline.h"

namespace chatd::limits {
namespace {

using namespace std::chrono_literals;
using Clock = HandshakeWatchdog::Clock;

// Connected pairs on loopback: the client end, and the accepted end the watchdog arms.
class PendingAddressTest : public ::testing::Test {
protected:
    Poco::Net::StreamSocket accept() {
        clients_.emplace_back(listener_.address());
        return listener_.acceptConnection();
    }
    // True when the client of pair `index` reads EOF (its server end was cut).
    bool cutAt(std::size_t index) {
        clients_[index].setReceiveTimeout(Poco::Timespan(2, 0));
        char byte;
        try {
            return clients_[index].receiveBytes(&byte, 1) == 0;
        } catch (const Poco::Exception&) {
            return false;
        }
    }

    Poco::Net::ServerSocket listener_{Poco::Net::SocketAddress("127.0.0.1", 0)};
    std::vector<Poco::Net::StreamSocket> clients_;
    HandshakeWatchdog watchdog_;
    const Clock::time_point later_ = Clock::now() + 1h;
};

TEST_F(PendingAddressTest, AnAddressAtItsLimitIsRefusedOthersAreNot) {
    const PendingAddress a{"192.0.2.1", 2, false};
    std::vector<Poco::Net::StreamSocket> held;
    for (int i = 0; i < 2; ++i) {
        held.push_back(accept());
        EXPECT_EQ(watchdog_.arm(held.back(), later_, a), ArmOutcome::Armed);
    }
    held.push_back(accept());
    EXPECT_EQ(watchdog_.arm(held.back(), later_, a), ArmOutcome::Refused);
    EXPECT_EQ(watchdog_.pending("192.0.2.1"), 2u);
    EXPECT_EQ(watchdog_.armed(), 2u);  // the refused one is not armed
    held.push_back(accept());
    EXPECT_EQ(watchdog_.arm(held.back(), later_, {"192.0.2.2", 2, false}), ArmOutcome::Armed);
    held.push_back(accept());
    EXPECT_EQ(watchdog_.arm(held.back(), later_), ArmOutcome::Armed);  // not counted: no key
    // A kept-alive connection armed again is counted, never refused.
    held.push_back(accept());
    EXPECT_EQ(watchdog_.arm(held.back(), later_, {"192.0.2.1", 0, true}), ArmOutcome::Armed);
    EXPECT_EQ(watchdog_.pending("192.0.2.1"), 3u);
}

TEST_F(PendingAddressTest, DisarmCutAndCloseGiveTheCountBack) {
    const PendingAddress a{"192.0.2.1", 3, false};
    Poco::Net::StreamSocket read = accept();
    Poco::Net::StreamSocket closed = accept();
    Poco::Net::StreamSocket due = accept();
    watchdog_.arm(read, later_, a);
    watchdog_.arm(closed, later_, a);
    watchdog_.arm(due, Clock::now() + 50ms, a);
    EXPECT_TRUE(watchdog_.disarm(read.impl()->sockfd()));  // its head was read
    const auto start = Clock::now();
    while (watchdog_.expired() == 0 && Clock::now() - start < 5s) std::this_thread::sleep_for(5ms);
    EXPECT_EQ(watchdog_.expired(), 1u);
    EXPECT_EQ(watchdog_.pending("192.0.2.1"), 1u);
    // Poco closes a connection it is done with without telling the watchdog:
    // the entry still counts, until the address reaches its limit.
    Poco::Net::StreamSocket more[3] = {accept(), accept(), accept()};
    closed.close();  // after the accepts: none of them reuses its descriptor number
    EXPECT_EQ(watchdog_.arm(more[0], later_, a), ArmOutcome::Armed);
    EXPECT_EQ(watchdog_.arm(more[1], later_, a), ArmOutcome::Armed);
    EXPECT_EQ(watchdog_.pending("192.0.2.1"), 3u);
    EXPECT_EQ(watchdog_.arm(more[2], later_, a), ArmOutcome::Armed);  // the closed one was forgotten
    EXPECT_EQ(watchdog_.pending("192.0.2.1"), 3u);
}

TEST_F(PendingAddressTest, AnIdleKeptAliveConnectionGivesWayToANewOneOfItsAddress) {
    Poco::Net::StreamSocket fresh = accept();
    Poco::Net::StreamSocket idle = accept();
    EXPECT_EQ(watchdog_.arm(fresh, later_, {"192.0.2.1", 2, false}), ArmOutcome::Armed);
    EXPECT_EQ(watchdog_.arm(idle, later_, {"192.0.2.1", 0, true}), ArmOutcome::Armed);
    Poco::Net::StreamSocket newcomer = accept();
    EXPECT_EQ(watchdog_.arm(newcomer, later_, {"192.0.2.1", 2, false}), ArmOutcome::MadeRoom);
    EXPECT_TRUE(cutAt(1)) << "the idle kept-alive connection was not cut";
    EXPECT_EQ(watchdog_.pending("192.0.2.1"), 2u);
    // No kept-alive connection left to give way: the next one is refused.
    Poco::Net::StreamSocket refused = accept();
    EXPECT_EQ(watchdog_.arm(refused, later_, {"192.0.2.1", 2, false}), ArmOutcome::Refused);
}

}  // namespace
}  // namespace chatd::limits
