// Helpers for the plugin host tests: entries for the test plugins, a log
// capture on spdlog's default logger (plugin loggers are cloned from it), and
// a reply recorder.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "log_capture.h"
#include "plugin_host/pipeline.h"

namespace chatd::plugin_host::testing {

inline const std::string kTestPluginDir = TEST_PLUGIN_DIR;        // tests/plugins build folder
inline const std::string kShippedPluginDir = SHIPPED_PLUGIN_DIR;  // ${PROJECT_BINARY_DIR}/plugins

inline config::PluginEntry entry(const std::string& name, const std::string& yaml = "~", const std::string& path = "",
                                 config::OnError on_error = config::OnError::Continue) {
    config::PluginEntry e;
    e.name = name;
    e.path = path;
    e.on_error = on_error;
    e.config = YAML::Load(yaml);
    return e;
}

// An entry of the probe test plugin under another name.
inline config::PluginEntry probe(const std::string& name, const std::string& yaml = "~",
                                 config::OnError on_error = config::OnError::Continue) {
    return entry(name, yaml, "probe.so", on_error);
}

using chatd::testing::LogCapture;

struct RecordedReply {
    std::uint64_t session_id;
    std::string plugin;
    std::string text;
};

// A ReplyFn that records what plugins reply.
class Replies {
public:
    ReplyFn fn() {
        return [this](std::uint64_t id, std::string_view plugin, std::string_view text) {
            std::lock_guard lock(mutex_);
            replies_.push_back({id, std::string(plugin), std::string(text)});
        };
    }
    std::vector<RecordedReply> all() const {
        std::lock_guard lock(mutex_);
        return replies_;
    }
    std::vector<std::string> texts() const {
        std::vector<std::string> out;
        for (const auto& r : all()) out.push_back(r.text);
        return out;
    }

private:
    mutable std::mutex mutex_;
    std::vector<RecordedReply> replies_;
};

// Builds a pipeline or fails the test with the error.
inline std::shared_ptr<Pipeline> mustBuild(const std::vector<config::PluginEntry>& entries, ReplyFn reply = nullptr,
                                           const Pipeline* previous = nullptr,
                                           const std::string& dir = kTestPluginDir) {
    auto built = Pipeline::build(entries, dir, std::move(reply), previous);
    if (auto* error = std::get_if<std::string>(&built)) throw std::runtime_error("build failed: " + *error);
    return std::get<std::shared_ptr<Pipeline>>(built);
}

// The error of a build that must fail ("" if it succeeded).
inline std::string buildError(const std::vector<config::PluginEntry>& entries,
                              const std::string& dir = kTestPluginDir) {
    auto built = Pipeline::build(entries, dir, nullptr);
    auto* error = std::get_if<std::string>(&built);
    return error != nullptr ? *error : std::string();
}

inline MessageContext message(std::string text, std::uint64_t session_id = 1) {
    return MessageContext{session_id, "s1", "lobby", "alice", std::move(text)};
}

}  // namespace chatd::plugin_host::testing
