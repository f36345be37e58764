// Process signals: blocked in every thread from the start, then taken one at
// a time by the main thread with sigwait (HUP = reload, the rest = stop).
#pragma once

#include <chrono>
#include <optional>

namespace chatd::app {

enum class SignalAction { Reload, Stop, Timeout };

// Blocks SIGINT, SIGTERM, SIGQUIT and SIGHUP and ignores SIGPIPE. Call in
// main() before any thread exists so that every thread inherits the mask.
void blockProcessSignals();
// Waits for the next blocked signal; returns what the daemon should do, or
// Timeout when `timeout` is given and passed first (signal_number is then 0).
SignalAction waitForSignal(int& signal_number, std::optional<std::chrono::milliseconds> timeout = std::nullopt);

}  // namespace chatd::app
