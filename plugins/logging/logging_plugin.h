// The logging plugin's class (see logging_plugin.cpp for how to build and
// enable it, README.md for its configuration).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <chatd/plugin.hpp>

#include "transcript_line.h"
#include "transcript_writer.h"

namespace chatd::plugins::logging {

class LoggingPlugin : public sdk::Plugin {
public:
    void init(const YAML::Node& config) override;
    // Every message's final verdict, whatever this plugin's place in the list.
    void onVerdict(const sdk::Message& msg, const sdk::Verdict& verdict, std::string_view decided_by) override;
    void shutdown() override;

private:
    std::string path_;
    std::unique_ptr<TranscriptWriter> writer_;
    std::chrono::steady_clock::time_point last_drop_warning_{};
    TimeFormatter time_;
    std::string line_;  // reused for every line
};

}  // namespace chatd::plugins::logging
