// LogCapture: collects every spdlog line (through the default logger) as
// "[logger] level: text" while it exists, so a test can check what the daemon
// and its plugins logged and how often. Header-only: unit tests use it too.
#pragma once

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace chatd::testing {

class LogCapture {
public:
    LogCapture() : sink_(std::make_shared<Sink>()), previous_(spdlog::default_logger()) {
        auto logger = std::make_shared<spdlog::logger>("test", sink_);
        logger->set_level(spdlog::level::trace);
        spdlog::set_default_logger(logger);
    }
    ~LogCapture() { spdlog::set_default_logger(previous_); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    std::vector<std::string> lines() const {
        std::lock_guard lock(sink_->lines_mutex);
        return sink_->lines;
    }
    bool contains(const std::string& fragment) const { return count(fragment) > 0; }
    // How many lines contain `fragment`.
    std::size_t count(const std::string& fragment) const {
        std::size_t n = 0;
        for (const auto& line : lines()) n += line.find(fragment) != std::string::npos ? 1 : 0;
        return n;
    }
    // Every line, one per row (for failure messages).
    std::string all() const {
        std::string out;
        for (const auto& line : lines()) out += line + "\n";
        return out;
    }

private:
    struct Sink : spdlog::sinks::base_sink<std::mutex> {
        mutable std::mutex lines_mutex;
        std::vector<std::string> lines;
        void sink_it_(const spdlog::details::log_msg& msg) override {
            std::lock_guard lock(lines_mutex);
            const auto level = spdlog::level::to_string_view(msg.level);
            lines.push_back("[" + std::string(msg.logger_name.data(), msg.logger_name.size()) + "] " +
                            std::string(level.data(), level.size()) + ": " +
                            std::string(msg.payload.data(), msg.payload.size()));
        }
        void flush_() override {}
    };
    std::shared_ptr<Sink> sink_;
    std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace chatd::testing
