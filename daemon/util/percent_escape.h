// RFC 3986 percent-escapes (%XX), shared by the static-file path resolver and
// the auth token's query parameter.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace chatd::util {

// The byte that the escape "%XX" starting at text[at] stands for; nullopt
// when text[at] is not '%', the escape is cut short or a digit is not hex.
std::optional<char> percentEscapeAt(std::string_view text, std::size_t at);

}  // namespace chatd::util
