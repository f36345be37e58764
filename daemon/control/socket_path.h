// Where the control socket lives when control.socket is not set:
// $RUNTIME_DIRECTORY/control.sock under systemd (RuntimeDirectory=chatd:
// /run/chatd/control.sock), else chatd-<port>.control.sock in
// $XDG_RUNTIME_DIR, or in /tmp without it. Two instances on one host never
// share a bound port, so they never share a default socket.
#pragma once

#include <cstdint>
#include <string>

namespace chatd::control {

// `runtime_directory` and `xdg_runtime_dir` are the environment's values
// (empty when unset); `port` is the bound listen port.
std::string defaultSocketPath(const std::string& runtime_directory, const std::string& xdg_runtime_dir,
                              std::uint16_t port);
// The same, read from this process's environment.
std::string defaultSocketPath(std::uint16_t port);

}  // namespace chatd::control
