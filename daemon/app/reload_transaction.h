// ReloadTransaction: the one reload of the daemon, for SIGHUP (main thread)
// and `chatdctl reload` (control thread) alike, one at a time: re-read the
// configuration file, apply it if it is valid and its plugins start (else
// nothing changes), tell systemd RELOADING/READY, log and count the outcome.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "config/config_loader.h"
#include "server/server.h"

namespace chatd::app {

class ServiceNotifier;

class ReloadTransaction {
public:
    // `load` reads the configuration the daemon started from (same search
    // order, same command-line overrides).
    ReloadTransaction(server::Server& server, ServiceNotifier& notifier, std::function<config::LoadResult()> load);

    // Runs one reload; returns once the new configuration is in force or was
    // refused. `trigger` names who asked, for the log ("SIGHUP", "control: uid 0 ...").
    server::ReloadResult run(std::string_view trigger);
    // What `systemctl status chatd` shows on its Status: line.
    std::string statusLine() const;

private:
    std::string statusLineLocked() const;

    server::Server& server_;
    ServiceNotifier& notifier_;
    std::function<config::LoadResult()> load_;
    mutable std::mutex mutex_;
    unsigned applied_ = 0;
    unsigned refused_ = 0;
};

}  // namespace chatd::app
