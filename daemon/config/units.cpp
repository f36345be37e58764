// Strict parsers for integers, sizes and durations in the config file.
#include "config/units.h"

#include <array>
#include <charconv>
#include <limits>

namespace chatd::config {
namespace {

struct Unit {
    std::string_view suffix;
    std::int64_t factor;
};

constexpr std::int64_t kKi = 1024;
constexpr std::int64_t kK = 1000;

// Longest suffixes first, so "KiB" is not read as "B" after "Ki".
constexpr std::array<Unit, 7> kSizeUnits{{
    {"KiB", kKi},
    {"MiB", kKi* kKi},
    {"GiB", kKi* kKi* kKi},
    {"KB", kK},
    {"MB", kK* kK},
    {"GB", kK* kK* kK},
    {"B", 1},
}};

constexpr std::array<Unit, 4> kDurationUnits{{
    {"ms", 1},
    {"s", 1'000},
    {"m", 60'000},
    {"h", 3'600'000},
}};

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Splits "123abc" into the leading digits and the rest.
std::pair<std::string_view, std::string_view> splitNumber(std::string_view text) {
    std::size_t end = 0;
    while (end < text.size() && isDigit(text[end])) ++end;
    return {text.substr(0, end), text.substr(end)};
}

// number * factor, or nullopt on overflow.
std::optional<std::int64_t> scaled(std::string_view digits, std::int64_t factor) {
    auto number = parseInteger(digits);
    if (!number || *number > std::numeric_limits<std::int64_t>::max() / factor) return std::nullopt;
    return *number * factor;
}

}  // namespace

std::optional<std::int64_t> parseInteger(std::string_view text) {
    std::string_view digits = text;
    if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
    if (digits.empty()) return std::nullopt;
    for (char c : digits)
        if (!isDigit(c)) return std::nullopt;
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<std::int64_t> parseSize(std::string_view text) {
    if (auto plain = parseInteger(text)) return plain;
    auto [digits, rest] = splitNumber(text);
    if (digits.empty() || rest.empty()) return std::nullopt;
    if (rest.front() == ' ') rest.remove_prefix(1);
    for (const Unit& unit : kSizeUnits)
        if (rest == unit.suffix) return scaled(digits, unit.factor);
    return std::nullopt;
}

DurationParse parseDuration(std::string_view text) {
    if (parseInteger(text)) return {std::chrono::milliseconds{0}, DurationProblem::MissingUnit};
    auto [digits, rest] = splitNumber(text);
    if (!digits.empty()) {
        for (const Unit& unit : kDurationUnits) {
            if (rest != unit.suffix) continue;
            if (auto ms = scaled(digits, unit.factor)) return {std::chrono::milliseconds{*ms}, DurationProblem::None};
        }
    }
    return {std::chrono::milliseconds{0}, DurationProblem::Malformed};
}

std::string formatDuration(std::chrono::milliseconds value) {
    const std::int64_t ms = value.count();
    // kDurationUnits runs from small to large: walk it backwards.
    for (auto it = kDurationUnits.rbegin(); it != kDurationUnits.rend(); ++it)
        if (ms != 0 && ms % it->factor == 0) return std::to_string(ms / it->factor) + std::string(it->suffix);
    return std::to_string(ms) + "ms";
}

std::string formatSize(std::int64_t bytes) {
    std::string text = std::to_string(bytes);
    for (std::string_view suffix : {"GiB", "MiB", "KiB"}) {
        const std::int64_t factor = suffix == "GiB" ? kKi * kKi * kKi : suffix == "MiB" ? kKi * kKi : kKi;
        if (bytes > 0 && bytes % factor == 0)
            return text + " (" + std::to_string(bytes / factor) + std::string(suffix) + ")";
    }
    return text;
}

}  // namespace chatd::config
