// Logging: spdlog to stderr (the journal takes it under systemd).
#pragma once

#include <string_view>

namespace chatd::server {

// Installs the default logger: stderr, with timestamps unless running under
// systemd's journal (JOURNAL_STREAM set), which adds its own.
void setupLogging();
// Sets the level by name (trace|debug|info|warn|error|critical|off).
void applyLogLevel(std::string_view level);

}  // namespace chatd::server
