// sd_notify wrapper for the chatd process (see service_notifier.h).
#include "app/service_notifier.h"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

namespace chatd::app {

ServiceNotifier::ServiceNotifier() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    enabled_ = socket != nullptr && *socket != '\0';
    if (!enabled_) return;
    std::uint64_t watchdog_usec = 0;
    // 0 = no watchdog for us; > 0 = WatchdogSec is set and meant for this process.
    if (sd_watchdog_enabled(0, &watchdog_usec) > 0 && watchdog_usec > 0) {
        const auto half = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::microseconds(watchdog_usec / 2));
        ping_interval_ = std::max(half, std::chrono::milliseconds(1));
    }
}

std::string ServiceNotifier::message(std::string_view state, std::string_view status) {
    std::string text(state);
    if (!status.empty()) {
        if (!text.empty()) text += '\n';
        text += "STATUS=";
        for (char c : status) text += (c == '\n' || c == '\r') ? ' ' : c;
    }
    return text;
}

void ServiceNotifier::send(const std::string& message) {
    if (!enabled_) return;
    // unset_environment = 0: the daemon keeps NOTIFY_SOCKET for every later call.
    const int result = sd_notify(0, message.c_str());
    if (result < 0) spdlog::warn("sd_notify failed (error {}): {}", -result, message);
}

void ServiceNotifier::ready(std::string_view status) { send(message("READY=1", status)); }

void ServiceNotifier::reloading(std::string_view status) { send(message("RELOADING=1", status)); }

void ServiceNotifier::stopping(std::string_view status) { send(message("STOPPING=1", status)); }

void ServiceNotifier::status(std::string_view status) { send(message("", status)); }

void ServiceNotifier::watchdogPing() { send("WATCHDOG=1"); }

}  // namespace chatd::app
