#include "control/socket_path.h"

#include <cstdlib>

namespace chatd::control {

std::string defaultSocketPath(const std::string& runtime_directory, const std::string& xdg_runtime_dir,
                              std::uint16_t port) {
    // RUNTIME_DIRECTORY may list several directories, separated by ':'.
    if (!runtime_directory.empty()) return runtime_directory.substr(0, runtime_directory.find(':')) + "/control.sock";
    const std::string dir = xdg_runtime_dir.empty() ? "/tmp" : xdg_runtime_dir;
    return dir + "/chatd-" + std::to_string(port) + ".control.sock";
}

std::string defaultSocketPath(std::uint16_t port) {
    const auto env = [](const char* name) {
        const char* value = std::getenv(name);
        return std::string(value ? value : "");
    };
    return defaultSocketPath(env("RUNTIME_DIRECTORY"), env("XDG_RUNTIME_DIR"), port);
}

}  // namespace chatd::control
