// Checks for the names and strings the config file holds (plugin names,
// origins, URL paths) and the "did you mean" suggestion for typos. Room
// names follow the protocol's rule (protocol/names.h).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace chatd::config {

// A plugin name: one or more ASCII letters, digits, _ or -.
bool isValidPluginName(std::string_view name);

// What is wrong with an allowed_origins entry, or "" when it is valid:
// "*", or scheme://host[:port] with scheme http or https, no path.
std::string originProblem(std::string_view origin);

// What is wrong with websocket.path, or "" when it is valid: it starts
// with '/' and holds no whitespace, '?' or '#'.
std::string urlPathProblem(std::string_view path);

// Edit distance counting insertions, deletions, substitutions and swaps of
// two neighbouring characters (so "prot" -> "port" is 1).
std::size_t editDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` when its distance is <= 2, else "".
// Ties go to the earlier candidate.
std::string closestMatch(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace chatd::config
