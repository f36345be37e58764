// Helpers for the plugin host tests: entries for the test plugins, a log
// capture on spdlog's default logger (plugin loggers are cloned from it), and
// a FakeActions that records what plugins ask of the daemon.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "log_capture.h"
#include "plugin_host/pipeline.h"
#include "plugin_host/plugin_actions.h"

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

// A PluginActions that records every call (thread-safe) and answers
// session()/findSession() from the sessions a test adds.
class FakeActions : public PluginActions {
public:
    std::string post(PostRequest request) override {
        std::lock_guard lock(mutex_);
        posts_.push_back(std::move(request));
        return post_error_;
    }
    void kick(KickRequest request) override {
        std::lock_guard lock(mutex_);
        kicks_.push_back(std::move(request));
    }
    void disconnect(std::uint64_t session_id, std::uint16_t code, std::string reason) override {
        std::lock_guard lock(mutex_);
        disconnects_.push_back({session_id, code, std::move(reason)});
    }
    void notice(std::uint64_t session_id, std::string_view plugin, std::string_view text) override {
        std::lock_guard lock(mutex_);
        notices_.push_back({session_id, std::string(plugin), std::string(text)});
    }
    std::optional<SessionFacts> session(std::uint64_t session_id) const override {
        std::lock_guard lock(mutex_);
        for (const auto& s : sessions_)
            if (s.session_id == session_id) return s;
        return std::nullopt;
    }
    std::optional<std::uint64_t> findSession(std::string_view room, std::string_view nick) const override {
        std::lock_guard lock(mutex_);
        for (const auto& s : sessions_)
            if (s.room == room && s.nick == nick) return s.session_id;
        return std::nullopt;
    }

    bool broadcast(std::string_view plugin, std::string payload) override {
        std::lock_guard lock(mutex_);
        broadcasts_.push_back({std::string(plugin), std::move(payload)});
        return sharing_;
    }
    // broadcast() answers this (true: "sent").
    void setSharing(bool sharing) {
        std::lock_guard lock(mutex_);
        sharing_ = sharing;
    }
    std::vector<std::pair<std::string, std::string>> broadcasts() const { return copy(broadcasts_); }

    struct Disconnect {
        std::uint64_t session_id;
        std::uint16_t code;
        std::string reason;
    };
    void addSession(SessionFacts facts) {
        std::lock_guard lock(mutex_);
        sessions_.push_back(std::move(facts));
    }
    void failPosts(std::string error) {
        std::lock_guard lock(mutex_);
        post_error_ = std::move(error);
    }
    std::vector<PostRequest> posts() const { return copy(posts_); }
    std::vector<KickRequest> kicks() const { return copy(kicks_); }
    std::vector<Disconnect> disconnects() const { return copy(disconnects_); }
    std::vector<RecordedReply> all() const { return copy(notices_); }  // the notices
    std::vector<std::string> texts() const {
        std::vector<std::string> out;
        for (const auto& r : all()) out.push_back(r.text);
        return out;
    }
    PluginEnvironment env(metrics::DaemonMetrics* metrics = nullptr) {
        return PluginEnvironment{.actions = this, .state_dir = "/var/lib/chatd-test", .metrics = metrics};
    }

private:
    template <typename T>
    std::vector<T> copy(const std::vector<T>& v) const {
        std::lock_guard lock(mutex_);
        return v;
    }

    mutable std::mutex mutex_;
    std::vector<PostRequest> posts_;
    std::vector<KickRequest> kicks_;
    std::vector<Disconnect> disconnects_;
    std::vector<RecordedReply> notices_;
    std::vector<SessionFacts> sessions_;
    std::string post_error_;
    std::vector<std::pair<std::string, std::string>> broadcasts_;  // (plugin, payload)
    bool sharing_ = true;
};

// The tests written against plugin replies: the notices of a FakeActions.
using Replies = FakeActions;

// Builds a pipeline or fails the test with the error.
inline std::shared_ptr<Pipeline> mustBuild(const std::vector<config::PluginEntry>& entries,
                                           FakeActions* actions = nullptr, const Pipeline* previous = nullptr,
                                           const std::string& dir = kTestPluginDir,
                                           metrics::DaemonMetrics* metrics = nullptr) {
    PluginEnvironment env = actions != nullptr ? actions->env(metrics) : PluginEnvironment{};
    env.metrics = metrics;
    auto built = Pipeline::build(entries, dir, env, previous);
    if (auto* error = std::get_if<std::string>(&built)) throw std::runtime_error("build failed: " + *error);
    return std::get<std::shared_ptr<Pipeline>>(built);
}

// The error of a build that must fail ("" if it succeeded).
inline std::string buildError(const std::vector<config::PluginEntry>& entries,
                              const std::string& dir = kTestPluginDir) {
    auto built = Pipeline::build(entries, dir, {});
    auto* error = std::get_if<std::string>(&built);
    return error != nullptr ? *error : std::string();
}

inline MessageContext message(std::string text, std::uint64_t session_id = 1) {
    return MessageContext{session_id, "s1", "lobby", "alice", std::move(text), ""};
}

// Polls `done` until it holds (true) or 10 s pass (false): for what a
// plugin's own thread (ticks, peer delivery) does in its time.
template <typename Done>
bool eventually(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

}  // namespace chatd::plugin_host::testing
