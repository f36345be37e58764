// ServiceNotifier: tells systemd (Type=notify) where the daemon is in its life:
// READY once it listens with every plugin loaded, RELOADING/READY around a
// reload, STOPPING at shutdown, a STATUS line for `systemctl status`, and
// watchdog pings when the unit sets WatchdogSec. Without NOTIFY_SOCKET (not
// started by systemd, or by a unit of another type) every call does nothing.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace chatd::app {

class ServiceNotifier {
public:
    // Reads NOTIFY_SOCKET and WATCHDOG_USEC (via libsystemd) once.
    ServiceNotifier();

    // True when a service manager listens for notifications.
    bool enabled() const { return enabled_; }

    void ready(std::string_view status);
    void reloading(std::string_view status);
    void stopping(std::string_view status);
    void status(std::string_view status);
    // WATCHDOG=1: the process is alive. Call at least every watchdogPingInterval().
    void watchdogPing();

    // How often to ping: half the unit's WatchdogSec; nullopt when the
    // watchdog is off.
    std::optional<std::chrono::milliseconds> watchdogPingInterval() const { return ping_interval_; }

    // The text handed to sd_notify for a state change plus a status line
    // ("READY=1\nSTATUS=..."); newlines in `status` become spaces. Public for tests.
    static std::string message(std::string_view state, std::string_view status);

private:
    void send(const std::string& message);

    bool enabled_ = false;
    std::optional<std::chrono::milliseconds> ping_interval_;
};

}  // namespace chatd::app
