// waitForSignal: what each blocked signal means, and the timed wait the
// watchdog pings ride on.
#include "app/signals.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <chrono>
#include <csignal>

namespace chatd::app {
namespace {

using namespace std::chrono_literals;

class Signals : public ::testing::Test {
protected:
    // Blocked in this (the only) thread, so a raised signal stays pending.
    void SetUp() override { blockProcessSignals(); }
};

TEST_F(Signals, TimesOutWhenNoSignalComes) {
    int number = -1;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(waitForSignal(number, 50ms), SignalAction::Timeout);
    EXPECT_EQ(number, 0);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
}

TEST_F(Signals, HupReloadsAndTheOthersStop) {
    const std::pair<int, SignalAction> cases[] = {{SIGHUP, SignalAction::Reload},
                                                  {SIGTERM, SignalAction::Stop},
                                                  {SIGINT, SignalAction::Stop},
                                                  {SIGQUIT, SignalAction::Stop}};
    for (const auto& [sig, action] : cases) {
        ASSERT_EQ(pthread_kill(pthread_self(), sig), 0);
        int number = 0;
        EXPECT_EQ(waitForSignal(number, 5s), action) << sig;
        EXPECT_EQ(number, sig);
    }
}

TEST_F(Signals, WithoutTimeoutWaitsForTheSignal) {
    ASSERT_EQ(pthread_kill(pthread_self(), SIGHUP), 0);
    int number = 0;
    EXPECT_EQ(waitForSignal(number), SignalAction::Reload);
    EXPECT_EQ(number, SIGHUP);
}

}  // namespace
}  // namespace chatd::app
