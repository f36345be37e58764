// Process signals: blocked in every thread from the start, then taken one at
// a time by the main thread with sigwait (HUP = reload, the rest = stop).
#pragma once

namespace chatd::app {

enum class SignalAction { Reload, Stop };

// Blocks SIGINT, SIGTERM, SIGQUIT and SIGHUP and ignores SIGPIPE. Call in
// main() before any thread exists so that every thread inherits the mask.
void blockProcessSignals();
// Waits for the next blocked signal; returns what the daemon should do.
SignalAction waitForSignal(int& signal_number);

}  // namespace chatd::app
