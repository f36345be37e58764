// changedKeys(): which top-level keys a new configuration changes, for the
// answer to a reload (`chatdctl reload`).
#include "config/config_loader.h"

namespace chatd::config {

namespace {

bool samePlugins(const std::vector<PluginEntry>& a, const std::vector<PluginEntry>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].name != b[i].name || a[i].path != b[i].path || a[i].on_error != b[i].on_error ||
            a[i].rooms != b[i].rooms || a[i].tick != b[i].tick)
            return false;
        if (YAML::Dump(a[i].config) != YAML::Dump(b[i].config)) return false;
    }
    return true;
}

}  // namespace

std::vector<std::string> changedKeys(const Config& running, const Config& next) {
    std::vector<std::string> keys;
    const auto check = [&](bool same, const char* key) {
        if (!same) keys.emplace_back(key);
    };
    check(running.listen == next.listen, "listen");
    check(running.public_dir == next.public_dir, "public_dir");
    check(running.http == next.http, "http");
    check(running.websocket == next.websocket, "websocket");
    check(running.limits == next.limits, "limits");
    check(running.auth == next.auth, "auth");
    check(running.metrics == next.metrics, "metrics");
    check(running.threads == next.threads, "threads");
    check(running.log == next.log, "log");
    check(running.chat == next.chat, "chat");
    check(running.bus == next.bus, "bus");
    check(running.control == next.control, "control");
    check(running.state_dir == next.state_dir, "state_dir");
    check(running.history == next.history, "history");
    check(running.plugin_dir == next.plugin_dir, "plugin_dir");
    check(samePlugins(running.plugins, next.plugins), "plugins");
    return keys;
}

}  // namespace chatd::config
