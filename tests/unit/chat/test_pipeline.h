// A plugin pipeline for the room-core tests, built from the test plugins
// (tests/plugins; TEST_PLUGIN_DIR): entries by name, file and YAML config.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "plugin_host/pipeline.h"

namespace chatd::testing {

// An entry named `name` loading tests/plugins/<file> with `yaml` as its config.
inline config::PluginEntry testPlugin(const std::string& name, const std::string& file, const std::string& yaml) {
    config::PluginEntry entry;
    entry.name = name;
    entry.path = file;
    entry.config = YAML::Load(yaml);
    return entry;
}

// The pipeline of `entries` (no host actions); throws when it does not build.
inline std::shared_ptr<plugin_host::Pipeline> testPipeline(const std::vector<config::PluginEntry>& entries) {
    auto built = plugin_host::Pipeline::build(entries, TEST_PLUGIN_DIR, {});
    if (auto* error = std::get_if<std::string>(&built)) throw std::runtime_error(*error);
    return std::get<std::shared_ptr<plugin_host::Pipeline>>(built);
}

}  // namespace chatd::testing
