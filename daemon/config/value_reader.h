// Typed reading of YAML values with error collection: each reader either
// returns the value or records why it could not (type, range, form) at the
// value's position and returns nullopt. Also walks mappings and lists.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "config/error_sink.h"

namespace chatd::config {

// A value found in the file and how errors point at it.
struct Field {
    YAML::Node node;
    YAML::Mark mark;  // the value's position; its key's when the value is empty
    std::string key;  // dotted key: "listen.port", "plugins[1].name"
};

// One known key of a mapping and what to do with its value.
struct KeyHandler {
    std::string_view name;
    std::function<void(const Field&)> handle;
};

// "'abc'", "a list", "a mapping" or "an empty value": how errors quote a value.
std::string describe(const YAML::Node& node);

class ValueReader {
public:
    explicit ValueReader(ErrorSink& sink) : sink_(sink) {}

    // A decimal integer in [min, max].
    std::optional<std::int64_t> integer(const Field& field, std::int64_t min, std::int64_t max);
    // A byte count (integer or "64KiB" etc.) in [min, max].
    std::optional<std::int64_t> size(const Field& field, std::int64_t min, std::int64_t max);
    // A duration with a unit ("10s") in [min, max].
    std::optional<std::chrono::milliseconds> duration(const Field& field, std::chrono::milliseconds min,
                                                      std::chrono::milliseconds max);
    // A non-empty string (any scalar: `address: 1.2.3.4` is a string too).
    std::optional<std::string> string(const Field& field);
    // One of `choices`, exactly.
    std::optional<std::string> choice(const Field& field, std::span<const std::string_view> choices);

    // Calls handle() for each known key of a mapping; unknown keys (with a
    // suggestion), duplicate keys and non-string keys are errors. An empty
    // value counts as an empty mapping.
    void mapping(const Field& field, std::span<const KeyHandler> handlers);
    // Calls onItem(item) for each entry of a list, keyed "key[i]". An empty
    // value counts as an empty list. Returns false when it is not a list.
    bool list(const Field& field, const std::function<void(const Field&)>& onItem);

    void error(const Field& field, std::string message);

private:
    // The scalar text of `field`, or nullopt after recording "expected <what>".
    std::optional<std::string> scalar(const Field& field, std::string_view what);

    ErrorSink& sink_;
};

}  // namespace chatd::config
