// One plugin shared object, loaded with dlopen(RTLD_NOW | RTLD_LOCAL) and its
// ABI version negotiated. Unloaded (dlclose) when the last owner lets go.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>

#include "chatd/plugin_abi.h"

namespace chatd::plugin_host {

class PluginLibrary {
public:
    // Loads `path` and negotiates. On failure: the cause, one line, e.g.
    // "file not found", "not a chatd plugin (no chatd_plugin_entry symbol)".
    static std::variant<std::shared_ptr<PluginLibrary>, std::string> open(const std::string& path);

    ~PluginLibrary();
    PluginLibrary(const PluginLibrary&) = delete;
    PluginLibrary& operator=(const PluginLibrary&) = delete;

    // The plugin's table as this host reads it: the fields beyond the
    // plugin's struct_size (hooks appended after the plugin was built) are null.
    const chatd_plugin_api& api() const { return table_; }
    // The table the plugin returned (its identity: the same code gives the same table).
    const chatd_plugin_api* raw() const { return api_; }
    const std::string& path() const { return path_; }

    struct Private {};
    PluginLibrary(Private, void* handle, std::string path) : handle_(handle), path_(std::move(path)) {}

private:
    // Checks the table the plugin returned; the cause if it is unusable.
    std::string validate() const;

    void* handle_;
    std::string path_;
    const chatd_plugin_api* api_ = nullptr;
    chatd_plugin_api table_{};
};

}  // namespace chatd::plugin_host
