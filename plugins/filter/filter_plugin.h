// The filter plugin's class (see filter_plugin.cpp for how to build and
// enable it, README.md for its configuration).
#pragma once

#include <memory>
#include <string>

#include <chatd/plugin.hpp>

#include "word_filter.h"

namespace chatd::plugins::filter {

enum class Action { Mask, Reject, Drop };

class FilterPlugin : public sdk::Plugin {
public:
    void init(const YAML::Node& config) override;
    sdk::Verdict onMessage(sdk::Message& msg) override;

private:
    std::unique_ptr<WordFilter> filter_;
    Action action_ = Action::Mask;
    std::string reason_;
};

// Reads a word list: one word or phrase per line; blank lines and lines
// starting with '#' are ignored. Throws std::runtime_error if unreadable.
std::vector<std::string> readWordsFile(const std::string& path);

}  // namespace chatd::plugins::filter
