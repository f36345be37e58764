// Parsing and printing of the scalar forms the config file uses: strict
// decimal integers, sizes ("64KiB", "1MB", plain bytes) and durations
// ("500ms", "10s", "2m", "1h"). Pure functions, no YAML involved.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chatd::config {

// A whole decimal integer with an optional leading '-' ("42", "-1").
// Anything else (spaces, "0x10", "1.5", "10_000", overflow) -> nullopt.
std::optional<std::int64_t> parseInteger(std::string_view text);

// A size in bytes: a plain integer, or an integer followed by one of the
// units B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024),
// optionally separated by one space. Overflow or anything else -> nullopt.
std::optional<std::int64_t> parseSize(std::string_view text);

// What parseDuration found wrong, so the caller can give a precise message.
enum class DurationProblem { None, MissingUnit, Malformed };

struct DurationParse {
    std::chrono::milliseconds value{0};
    DurationProblem problem = DurationProblem::None;
};

// A duration: an integer followed by ms, s, m or h ("500ms", "10s").
// A bare number is MissingUnit; anything else (or overflow) is Malformed.
DurationParse parseDuration(std::string_view text);

// The shortest exact spelling of a duration: 1500ms -> "1500ms", 60000ms -> "1m".
std::string formatDuration(std::chrono::milliseconds value);

// A byte count with its exact binary spelling when it has one:
// 65536 -> "65536 (64KiB)", 1000 -> "1000".
std::string formatSize(std::int64_t bytes);

}  // namespace chatd::config
