#include "app/signals.h"

#include <pthread.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <ctime>
#include <initializer_list>

namespace chatd::app {

namespace {
sigset_t handledSignals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGINT, SIGTERM, SIGQUIT, SIGHUP}) sigaddset(&set, sig);
    return set;
}
}  // namespace

void blockProcessSignals() {
    const sigset_t set = handledSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);  // a peer that went away is an EPIPE, not a death
}

SignalAction waitForSignal(int& signal_number, std::optional<std::chrono::milliseconds> timeout) {
    const sigset_t set = handledSignals();
    signal_number = 0;
    if (!timeout) {
        while (sigwait(&set, &signal_number) != 0) {
        }
    } else {
        const auto deadline = std::chrono::steady_clock::now() + *timeout;
        for (;;) {
            const auto left = std::max(deadline - std::chrono::steady_clock::now(), std::chrono::nanoseconds(0));
            const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left);
            const timespec wait{static_cast<time_t>(seconds.count()),
                                static_cast<long>((left - seconds).count())};
            const int taken = sigtimedwait(&set, nullptr, &wait);
            if (taken > 0) {
                signal_number = taken;
                break;
            }
            if (errno == EAGAIN) return SignalAction::Timeout;  // EINTR: wait for the rest
        }
    }
    return signal_number == SIGHUP ? SignalAction::Reload : SignalAction::Stop;
}

}  // namespace chatd::app
