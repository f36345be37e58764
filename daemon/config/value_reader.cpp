// Typed readers over yaml-cpp nodes that report errors instead of throwing.
#include "config/value_reader.h"

#include <algorithm>
#include <limits>
#include <map>
#include <vector>

#include "config/names.h"
#include "config/units.h"

namespace chatd::config {
namespace {

constexpr std::size_t kMaxQuotedLength = 40;

std::string rangeMessage(const std::string& min, const std::string& max, bool hasMax, const std::string& got) {
    if (!hasMax) return "must be at least " + min + ", got " + got;
    return "must be between " + min + " and " + max + ", got " + got;
}

// The field for a value inside `parent`: empty values point at their key,
// since yaml-cpp places them at the next token (often the next line).
Field childField(const YAML::Node& value, const YAML::Node& keyNode, std::string key) {
    YAML::Mark mark = value.IsNull() ? keyNode.Mark() : value.Mark();
    return Field{value, mark, std::move(key)};
}

}  // namespace

std::string describe(const YAML::Node& node) {
    if (node.IsSequence()) return "a list";
    if (node.IsMap()) return "a mapping";
    if (!node.IsScalar()) return "an empty value";
    std::string text = node.Scalar();
    if (text.size() > kMaxQuotedLength) text = text.substr(0, kMaxQuotedLength) + "...";
    return "'" + text + "'";
}

void ValueReader::error(const Field& field, std::string message) {
    sink_.add(field.mark, field.key, std::move(message));
}

std::optional<std::string> ValueReader::scalar(const Field& field, std::string_view what) {
    if (field.node.IsScalar()) return field.node.Scalar();
    error(field, "expected " + std::string(what) + ", got " + describe(field.node));
    return std::nullopt;
}

std::optional<std::int64_t> ValueReader::integer(const Field& field, std::int64_t min, std::int64_t max) {
    auto text = scalar(field, "an integer");
    if (!text) return std::nullopt;
    auto value = parseInteger(*text);
    if (!value) {
        error(field, "expected an integer, got " + describe(field.node));
        return std::nullopt;
    }
    if (*value < min || *value > max) {
        error(field, rangeMessage(std::to_string(min), std::to_string(max),
                                  max != std::numeric_limits<std::int64_t>::max(), *text));
        return std::nullopt;
    }
    return value;
}

std::optional<std::int64_t> ValueReader::size(const Field& field, std::int64_t min, std::int64_t max) {
    constexpr std::string_view kWhat = "a size (bytes, or a number with KiB, MiB, GiB, KB, MB or GB)";
    auto text = scalar(field, kWhat);
    if (!text) return std::nullopt;
    auto value = parseSize(*text);
    if (!value) {
        error(field, "expected " + std::string(kWhat) + ", got " + describe(field.node));
        return std::nullopt;
    }
    if (*value < min || *value > max) {
        std::string got = *text == std::to_string(*value) ? *text : *text + " = " + std::to_string(*value);
        error(field,
              rangeMessage(formatSize(min), formatSize(max), max != std::numeric_limits<std::int64_t>::max(), got));
        return std::nullopt;
    }
    return value;
}

std::optional<std::chrono::milliseconds> ValueReader::duration(const Field& field, std::chrono::milliseconds min,
                                                               std::chrono::milliseconds max) {
    constexpr std::string_view kWhat = "a duration such as \"500ms\", \"10s\", \"2m\" or \"1h\"";
    auto text = scalar(field, kWhat);
    if (!text) return std::nullopt;
    DurationParse parsed = parseDuration(*text);
    if (parsed.problem == DurationProblem::MissingUnit) {
        error(field, "a duration needs a unit (ms, s, m or h), e.g. '" + *text + "s'; got '" + *text + "'");
        return std::nullopt;
    }
    if (parsed.problem == DurationProblem::Malformed) {
        error(field, "expected " + std::string(kWhat) + ", got " + describe(field.node));
        return std::nullopt;
    }
    if (parsed.value < min || parsed.value > max) {
        error(field, rangeMessage(formatDuration(min), formatDuration(max), true, *text));
        return std::nullopt;
    }
    return parsed.value;
}

std::optional<std::string> ValueReader::string(const Field& field) {
    auto text = scalar(field, "a string");
    if (text && text->empty()) {
        error(field, "must not be empty");
        return std::nullopt;
    }
    return text;
}

std::optional<std::string> ValueReader::choice(const Field& field, std::span<const std::string_view> choices) {
    std::string allowed;
    for (std::string_view choice : choices) allowed += (allowed.empty() ? "" : "|") + std::string(choice);
    auto text = scalar(field, "one of " + allowed);
    if (!text) return std::nullopt;
    for (std::string_view choice : choices)
        if (*text == choice) return text;
    std::string message = "expected one of " + allowed + ", got " + describe(field.node);
    if (std::string near = closestMatch(*text, choices); !near.empty()) message += "; did you mean '" + near + "'?";
    error(field, message);
    return std::nullopt;
}

void ValueReader::mapping(const Field& field, std::span<const KeyHandler> handlers) {
    if (field.node.IsNull()) return;
    if (!field.node.IsMap()) {
        error(field, "expected a mapping (key: value lines), got " + describe(field.node));
        return;
    }
    std::vector<std::string_view> names;
    for (const KeyHandler& handler : handlers) names.push_back(handler.name);
    std::map<std::string, int, std::less<>> seenOnLine;
    const std::string prefix = field.key.empty() ? "" : field.key + ".";
    for (const auto& entry : field.node) {
        const YAML::Node& keyNode = entry.first;
        if (!keyNode.IsScalar()) {
            sink_.add(keyNode.Mark(), field.key, "keys must be plain names, got " + describe(keyNode));
            continue;
        }
        const std::string name = keyNode.Scalar();
        Field child = childField(entry.second, keyNode, prefix + name);
        if (auto [it, inserted] = seenOnLine.emplace(name, keyNode.Mark().line + 1); !inserted) {
            sink_.add(keyNode.Mark(), child.key,
                      "duplicate key '" + name + "' (first given on line " + std::to_string(it->second) + ")");
            continue;
        }
        auto handler =
            std::find_if(handlers.begin(), handlers.end(), [&](const KeyHandler& known) { return known.name == name; });
        if (handler != handlers.end()) {
            handler->handle(child);
            continue;
        }
        std::string message = "unknown key '" + name + "'";
        if (std::string near = closestMatch(name, names); !near.empty()) message += "; did you mean '" + near + "'?";
        sink_.add(keyNode.Mark(), child.key, message);
    }
}

bool ValueReader::list(const Field& field, const std::function<void(const Field&)>& onItem) {
    if (field.node.IsNull()) return true;
    if (!field.node.IsSequence()) {
        error(field, "expected a list, got " + describe(field.node));
        return false;
    }
    for (std::size_t i = 0; i < field.node.size(); ++i) {
        const YAML::Node item = field.node[i];
        // An empty item has no reliable mark of its own: use the list's.
        onItem(Field{item, item.IsNull() ? field.mark : item.Mark(), field.key + "[" + std::to_string(i) + "]"});
    }
    return true;
}

}  // namespace chatd::config
