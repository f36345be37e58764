// The history section of chatd.yaml (the durable store) and the top-level
// state_dir it lives in. docs/configuration.md documents the same table.
#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "config/settings_reader.h"

namespace chatd::config {
namespace {

using namespace std::chrono_literals;

constexpr std::array<std::string_view, 2> kStoreTypes{"sqlite", "memory"};
constexpr std::array<std::string_view, 2> kSyncModes{"normal", "full"};
constexpr std::chrono::milliseconds kMaxAge = 87'600h;  // ten years
constexpr std::int64_t kMaxMessages = 100'000'000;

template <typename Target, typename Value>
void store(Target& target, const std::optional<Value>& value) {
    if (value) target = static_cast<Target>(*value);
}

// systemd's $STATE_DIRECTORY (the first, when StateDirectory= names several),
// else the working directory.
std::string defaultStateDir() {
    if (const char* env = std::getenv("STATE_DIRECTORY"); env && *env) {
        const std::string dirs(env);
        return dirs.substr(0, dirs.find(':'));
    }
    std::error_code ignored;
    return std::filesystem::current_path(ignored).string();
}

}  // namespace

void readStateDir(const Field& field, std::string& state_dir, ValueReader& read) {
    auto dir = read.string(field);
    if (!dir) return;
    if ((*dir)[0] != '/') return read.error(field, "must be an absolute path, got '" + *dir + "'");
    state_dir = *dir;
}

void readHistory(const Field& field, HistoryConfig& history, ValueReader& read) {
    const KeyHandler keys[] = {
        {"store",
         [&](const Field& f) {
             if (auto type = read.choice(f, kStoreTypes))
                 history.store = *type == "memory" ? HistoryStoreType::Memory : HistoryStoreType::Sqlite;
         }},
        {"path",
         [&](const Field& f) {
             auto path = read.string(f);
             if (!path) return;
             if (path->back() == '/') return read.error(f, "must name a file, got the directory '" + *path + "'");
             history.path = *path;
         }},
        {"max_age", [&](const Field& f) { store(history.max_age, read.duration(f, 0ms, kMaxAge)); }},
        {"max_messages", [&](const Field& f) { store(history.max_messages, read.integer(f, 0, kMaxMessages)); }},
        {"sync",
         [&](const Field& f) {
             if (auto mode = read.choice(f, kSyncModes))
                 history.sync = *mode == "full" ? HistorySync::Full : HistorySync::Normal;
         }},
    };
    read.mapping(field, keys);
}

void resolveStatePaths(Config& config) {
    namespace fs = std::filesystem;
    if (config.state_dir.empty()) config.state_dir = defaultStateDir();
    if (config.history.path.empty()) config.history.path = "history.db";
    const fs::path path(config.history.path);
    if (path.is_relative()) config.history.path = (fs::path(config.state_dir) / path).lexically_normal().string();
}

}  // namespace chatd::config
