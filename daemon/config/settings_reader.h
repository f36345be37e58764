// Reads the whole top-level mapping of a config file into a Config,
// reporting every problem to the ErrorSink; keys left out keep the defaults
// already in the Config.
#pragma once

#include "config/config.h"
#include "config/error_sink.h"
#include "config/value_reader.h"

namespace chatd::config {

// Fills `config` from the top-level mapping `root` (all sections, then the
// checks that span sections, such as chat.max_text_bytes <= max_message_bytes).
void readSettings(const Field& root, Config& config, ErrorSink& sink);

// Fills `bus` from the `bus:` section (bus_settings.cpp).
void readBus(const Field& field, BusConfig& bus, ValueReader& read);

// Fills `plugins` from the `plugins:` list (plugin_entries.cpp).
void readPlugins(const Field& field, std::vector<PluginEntry>& plugins, ValueReader& read);

}  // namespace chatd::config
