// libFuzzer target: the config loader (config/config_loader) on YAML text,
// through loadFromString, the in-memory twin of loadFromFile.
//
// Input: the text of a chatd.yaml. Checks, besides the sanitizers (an
// exception escaping the loader is a crash too):
//   - a load gives either a Config and no errors, or errors and no Config,
//     and every error names the source and has a message;
//   - an accepted Config obeys every documented range and rule, so a typo
//     in the validation cannot let a value through that the daemon trusts.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "config/config_loader.h"
#include "config/names.h"
#include "protocol/names.h"

namespace {

using namespace chatd::config;
using namespace std::chrono_literals;

constexpr const char* kSource = "fuzz.yaml";

void check(bool ok) {
    if (!ok) std::abort();
}

template <typename T>
bool within(T value, T min, T max) {
    return value >= min && value <= max;
}

void checkAccepted(const Config& c) {
    check(within<unsigned>(c.http.threads, 1, 1024));
    check(within(c.http.request_timeout, std::chrono::milliseconds(100ms), std::chrono::milliseconds(5min)));
    check(within<std::size_t>(c.http.max_queued, 1, 100'000));
    check(urlPathProblem(c.websocket.path).empty());
    for (const std::string& origin : c.websocket.allowed_origins) {
        check(originProblem(origin).empty());
        check(std::none_of(origin.begin(), origin.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }));
    }
    check(within<std::size_t>(c.websocket.max_message_bytes, 125, 64 << 20));
    check(within(c.websocket.ping_interval, std::chrono::milliseconds(1s), std::chrono::milliseconds(1h)));
    check(within(c.websocket.ping_timeout, std::chrono::milliseconds(1s), std::chrono::milliseconds(10min)));
    check(c.limits.max_connections >= 1 && c.limits.send_queue_bytes >= 4096);
    check(c.threads.io <= 256 && within<unsigned>(c.threads.hub, 1, 64));
    const std::set<std::string> levels{"trace", "debug", "info", "warn", "error", "critical", "off"};
    check(levels.count(c.log.level) == 1);
    check(chatd::protocol::isValidRoom(c.chat.default_room));
    check(c.chat.history_size <= 100'000);
    check(c.chat.history_bytes <= std::size_t{1} << 30 && c.chat.history_total_bytes <= std::size_t{1} << 40);
    check(within<std::size_t>(c.chat.max_text_bytes, 1, c.websocket.max_message_bytes));
    check(!c.listen.address.empty() && !c.public_dir.empty() && !c.plugin_dir.empty());
    std::set<std::string> names;
    for (const PluginEntry& plugin : c.plugins) {
        check(isValidPluginName(plugin.name));
        check(names.insert(plugin.name).second);
    }
    check(c.source == kSource);
    check(keysNeedingRestart(c, c).empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view yaml(reinterpret_cast<const char*>(data), size);
    const LoadResult result = loadFromString(yaml, kSource);
    check(result.config.has_value() == result.errors.empty());
    for (const ConfigError& error : result.errors) {
        check(error.file == kSource && !error.message.empty());
        check(error.line >= 0 && error.column >= 0);
        check(!error.format().empty());
    }
    if (result.config) checkAccepted(*result.config);
    return 0;
}
