// Helpers for the plugin host tests: entries for the test plugins, a log
// capture on spdlog's default logger (plugin loggers are cloned from it), and
// a reply recorder.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

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

// Collects every log line ("[logger] level: text") while it exists.
class LogCapture {
public:
    LogCapture() : sink_(std::make_shared<Sink>()), previous_(spdlog::default_logger()) {
        auto logger = std::make_shared<spdlog::logger>("test", sink_);
        logger->set_level(spdlog::level::trace);
        spdlog::set_default_logger(logger);
    }
    ~LogCapture() { spdlog::set_default_logger(previous_); }

    std::vector<std::string> lines() const {
        std::lock_guard lock(sink_->lines_mutex);
        return sink_->lines;
    }
    bool contains(const std::string& fragment) const { return count(fragment) > 0; }
    std::size_t count(const std::string& fragment) const {
        std::size_t n = 0;
        for (const auto& line : lines()) n += line.find(fragment) != std::string::npos ? 1 : 0;
        return n;
    }

private:
    struct Sink : spdlog::sinks::base_sink<std::mutex> {
        mutable std::mutex lines_mutex;
        std::vector<std::string> lines;
        void sink_it_(const spdlog::details::log_msg& msg) override {
            std::lock_guard lock(lines_mutex);
            lines.push_back("[" + std::string(msg.logger_name.data(), msg.logger_name.size()) + "] " +
                            std::string(spdlog::level::to_string_view(msg.level).data(),
                                        spdlog::level::to_string_view(msg.level).size()) +
                            ": " + std::string(msg.payload.data(), msg.payload.size()));
        }
        void flush_() override {}
    };
    std::shared_ptr<Sink> sink_;
    std::shared_ptr<spdlog::logger> previous_;
};

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
