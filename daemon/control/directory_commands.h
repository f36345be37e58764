// The control commands that look at rooms and members: rooms and who. With
// the Redis bus they ask Redis (Bus::directory) for every live instance's
// view and merge it with this instance's session directory; when Redis does
// not answer in time they answer with this instance's view, marked
// "partial" with a "note" saying why (docs/operations.md).
#pragma once

#include <chrono>

#include "bus/bus.h"
#include "control/dispatcher.h"
#include "server/server.h"

namespace chatd::control {

// How long a command waits for Redis' answer (the bus gives up on a silent
// Redis after its own timeout and answers then).
inline constexpr std::chrono::milliseconds kDirectoryWait{2500};

// Asks `bus` and waits at most `wait`; an answer that comes later is
// dropped harmlessly. Not answered (with the reason) on timeout.
bus::DirectoryAnswer askDirectory(bus::Bus& bus, bus::DirectoryQuery query,
                                  std::chrono::milliseconds wait = kDirectoryWait);

// The note of an answer that is this instance's view only.
std::string partialNote(const bus::DirectoryAnswer& answer);

Outcome roomsCommand(const server::Server& server);
Outcome whoCommand(const server::Server& server, const json::Value& args);

}  // namespace chatd::control
