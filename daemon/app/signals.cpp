#include "app/signals.h"

#include <pthread.h>

#include <csignal>
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

SignalAction waitForSignal(int& signal_number) {
    const sigset_t set = handledSignals();
    while (sigwait(&set, &signal_number) != 0) {
    }
    return signal_number == SIGHUP ? SignalAction::Reload : SignalAction::Stop;
}

}  // namespace chatd::app
