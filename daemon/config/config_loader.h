// Loading /etc/chatd.yaml (or any YAML text) into a validated Config.
// Every problem in the file is reported, each with its file, line, column and
// dotted key, so an operator can fix them all in one go (--check-config).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace chatd::config {

// One problem found in a config file.
struct ConfigError {
    std::string file;     // the path or source name given to the loader
    int line = 0;         // 1-based; 0 = unknown (e.g. the file cannot be read)
    int column = 0;       // 1-based; 0 = unknown
    std::string key;      // dotted key ("websocket.max_message_bytes", "plugins[1].on_error"); may be empty
    std::string message;  // what is wrong, in words an operator understands

    // "FILE:LINE:COL: KEY: MESSAGE"; the ":LINE:COL" part is left out when
    // unknown and the "KEY: " part when there is no key.
    std::string format() const;
};

// The outcome of a load: a Config exactly when there are no errors.
struct LoadResult {
    std::optional<Config> config;
    std::vector<ConfigError> errors;

    bool ok() const { return config.has_value() && errors.empty(); }
};

// Reads and validates the file at `path`. A missing or unreadable file gives
// one error naming the file and the system's reason. A relative public_dir or
// plugin_dir is resolved against the directory holding the file.
LoadResult loadFromFile(const std::string& path);

// Validates YAML text; `source_name` is what errors and Config::source show
// ("<built-in>", "test.yaml"). A relative public_dir or plugin_dir is resolved
// against the current directory.
LoadResult loadFromString(std::string_view yaml, const std::string& source_name);

// The repository's etc/chatd.yaml, embedded at build time: the config used
// when no --config is given and /etc/chatd.yaml does not exist.
std::string_view builtinDefaultYaml();

// The dotted keys whose values differ between `running` and `next` but only
// take effect after a restart (listen.address, listen.port, http.threads,
// http.request_timeout, http.max_queued, threads.io, threads.hub,
// websocket.path, bus.type, bus.redis, metrics.enabled, metrics.listen,
// metrics.port, control.enabled, control.socket, control.group), in that order. Everything else (limits.*, auth.*, ...)
// applies on reload to new connections and requests.
std::vector<std::string> keysNeedingRestart(const Config& running, const Config& next);

// Copies those same restart-only keys from `running` into `next`, so that a
// reloaded config says what is really in force.
void keepRestartKeys(const Config& running, Config& next);

// The top-level keys (sections) whose value differs between `running` and
// `next`, in file order ("chat", "plugins", ...): what a reload changed.
std::vector<std::string> changedKeys(const Config& running, const Config& next);

}  // namespace chatd::config
