// ErrorSink and the printed form of a ConfigError.
#include "config/error_sink.h"

namespace chatd::config {

std::string ConfigError::format() const {
    std::string text = file;
    if (line > 0) {
        text += ':' + std::to_string(line);
        if (column > 0) text += ':' + std::to_string(column);
    }
    text += ": ";
    if (!key.empty()) text += key + ": ";
    return text + message;
}

void ErrorSink::add(const YAML::Mark& at, std::string key, std::string message) {
    ConfigError error{file_, 0, 0, std::move(key), std::move(message)};
    if (!at.is_null()) {
        error.line = at.line + 1;
        error.column = at.column + 1;
    }
    errors_.push_back(std::move(error));
}

void ErrorSink::addUnplaced(std::string key, std::string message) {
    add(YAML::Mark::null_mark(), std::move(key), std::move(message));
}

}  // namespace chatd::config
