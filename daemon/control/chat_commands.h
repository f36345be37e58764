// The control commands about rooms and people: rooms, who, say, kick and
// plugin (a plugin's own commands). They read the hub's session directory
// (and, with the Redis bus, every instance's: directory_commands.h) and act
// through the daemon's actions, the same path plugins use.
#pragma once

#include "control/dispatcher.h"
#include "server/server.h"

namespace chatd::control {

void addChatCommands(Dispatcher& dispatcher, server::Server& server);

}  // namespace chatd::control
