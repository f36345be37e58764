// The control commands of the daemon: status, plugins, reload, disconnect
// (by session, or by nick: here and, with the Redis bus, on every instance).
// One handler each (daemon_commands.cpp); a new command is one more add().
#pragma once

#include <functional>
#include <string>

#include "control/dispatcher.h"
#include "server/server.h"

namespace chatd::control {

struct DaemonInfo {
    std::string version;      // "0.1.0"
    std::string config_path;  // where reload reads from
};

// The reload transaction SIGHUP runs (app/reload_transaction.h): it returns
// once the new configuration is in force or was refused.
using ReloadFn = std::function<server::ReloadResult()>;

void addDaemonCommands(Dispatcher& dispatcher, server::Server& server, DaemonInfo info, ReloadFn reload);

}  // namespace chatd::control
