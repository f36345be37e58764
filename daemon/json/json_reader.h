// Strict JSON (RFC 8259) reader producing a json::Value DOM.
//
// Accepts exactly one JSON value surrounded by optional whitespace (space, tab,
// CR, LF). Rejected: trailing commas, comments, leading zeros, '+' signs, NaN
// and Infinity, numbers outside the range of a double, raw control characters
// (< 0x20) in strings, unknown escapes, lone UTF-16 surrogates in \u escapes,
// duplicate object keys, a byte-order mark, anything after the value, and
// nesting deeper than max_depth (each array or object is one level; a
// top-level object is depth 1, max_depth 0 allows only scalars).
//
// Precondition: the text is valid UTF-8 (the WebSocket layer has checked it);
// bytes >= 0x80 inside strings are copied unchecked.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "json/json_value.h"

namespace chatd::json {

inline constexpr std::size_t kDefaultMaxDepth = 32;

// Parses `text`; on failure returns nullopt and sets `error` to a short
// description ending in the byte offset, e.g. "expected ':' at offset 12".
std::optional<Value> parse(std::string_view text, std::string& error, std::size_t max_depth = kDefaultMaxDepth);

}  // namespace chatd::json
