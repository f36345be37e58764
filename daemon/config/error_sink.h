// Collects ConfigErrors while a file is validated, converting yaml-cpp's
// 0-based marks into the 1-based line/column operators see in editors.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config_loader.h"

namespace chatd::config {

class ErrorSink {
public:
    explicit ErrorSink(std::string file) : file_(std::move(file)) {}

    // An error at a position in the file (a null mark = position unknown).
    void add(const YAML::Mark& at, std::string key, std::string message);

    // An error with no position in the file.
    void addUnplaced(std::string key, std::string message);

    bool empty() const { return errors_.empty(); }
    std::size_t count() const { return errors_.size(); }
    std::vector<ConfigError> take() { return std::move(errors_); }

private:
    std::string file_;
    std::vector<ConfigError> errors_;
};

}  // namespace chatd::config
