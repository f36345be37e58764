// Shared helpers of the config tests: load YAML text and look at its errors.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config/config_loader.h"

namespace chatd::config::test {

// Every formatted error, one per line, for failure messages.
inline std::string allErrors(const LoadResult& result) {
    std::string text;
    for (const ConfigError& error : result.errors) text += error.format() + "\n";
    return text;
}

// Loads `yaml` as "test.yaml" and expects it to be valid.
inline Config loadValid(const std::string& yaml) {
    LoadResult result = loadFromString(yaml, "test.yaml");
    EXPECT_TRUE(result.ok()) << allErrors(result);
    EXPECT_TRUE(result.errors.empty());
    return result.config.value_or(Config{});
}

// Loads `yaml` as "test.yaml", expects exactly one error and returns it.
inline ConfigError onlyError(const std::string& yaml) {
    LoadResult result = loadFromString(yaml, "test.yaml");
    EXPECT_FALSE(result.ok());
    EXPECT_FALSE(result.config.has_value());
    EXPECT_EQ(result.errors.size(), 1u) << allErrors(result);
    return result.errors.empty() ? ConfigError{} : result.errors.front();
}

// The error's "FILE:LINE:COL: KEY" prefix, i.e. everything but the message.
inline std::string where(const ConfigError& error) {
    return error.file + ":" + std::to_string(error.line) + ":" + std::to_string(error.column) + ": " + error.key;
}

// Expects `yaml` to give exactly one error, at `place` ("test.yaml:L:C: key"), saying `message`.
inline void expectError(const std::string& yaml, const std::string& place, const std::string& message) {
    ConfigError error = onlyError(yaml);
    EXPECT_EQ(where(error), place) << yaml;
    EXPECT_EQ(error.message, message) << yaml;
}

}  // namespace chatd::config::test
