// Reads the whole top-level mapping of a config file into a Config,
// reporting every problem to the ErrorSink; keys left out keep the defaults
// already in the Config.
#pragma once

#include <filesystem>
#include <optional>

#include "config/config.h"
#include "config/error_sink.h"
#include "config/value_reader.h"

namespace chatd::config {

// Fills `config` from the top-level mapping `root` (all sections, then the
// checks that span sections, such as chat.max_text_bytes <= max_message_bytes).
// A relative auth.secret_file is read from `base_dir`.
void readSettings(const Field& root, Config& config, ErrorSink& sink, const std::filesystem::path& base_dir);

// The limits, auth and metrics sections (security_settings.cpp).
void readLimits(const Field& field, LimitsConfig& limits, ValueReader& read);
void readAuth(const Field& field, AuthConfig& auth, ValueReader& read);
void readMetrics(const Field& field, MetricsConfig& metrics, ValueReader& read);
// With auth.mode jwt: reads the secret (inline or from auth.secret_file,
// resolved against `base_dir`) into auth.secret, or records why it cannot.
void loadAuthSecret(const std::optional<Field>& auth_field, AuthConfig& auth, const std::filesystem::path& base_dir,
                    ValueReader& read);

// Fills `bus` from the `bus:` section (bus_settings.cpp).
void readBus(const Field& field, BusConfig& bus, ValueReader& read);

// Fills `history` from the `history:` section (history_settings.cpp).
void readHistory(const Field& field, HistoryConfig& history, ValueReader& read);
// An absolute directory for the top-level state_dir, or records why not.
void readStateDir(const Field& field, std::string& state_dir, ValueReader& read);
// Fills in what the file left out: state_dir ($STATE_DIRECTORY, else the
// working directory) and history.path (<state_dir>/history.db; a relative
// one is relative to state_dir).
void resolveStatePaths(Config& config);
// Fills `control` from the `control:` section (control_settings.cpp).
void readControl(const Field& field, ControlConfig& control, ValueReader& read);

// Fills `plugins` from the `plugins:` list (plugin_entries.cpp).
void readPlugins(const Field& field, std::vector<PluginEntry>& plugins, ValueReader& read);

}  // namespace chatd::config
