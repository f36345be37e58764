// What counts as a word character for the filter, per Unicode code point:
// letters and digits of any script are word characters; spaces, punctuation
// and symbols (ASCII ones, Latin-1's « » ¿, the quotes and dashes of General
// Punctuation, CJK punctuation, fullwidth forms, emoji) separate words.
#pragma once

#include <cstddef>
#include <string_view>

namespace chatd::plugins::filter {

struct Utf8Char {
    char32_t code_point;  // U+FFFD for a byte that does not start a valid character
    std::size_t length;   // bytes, at least 1
};

// The character starting at byte `at` of `text` (at < text.size()).
Utf8Char decodeMultibyte(std::string_view text, std::size_t at);
inline Utf8Char decodeAt(std::string_view text, std::size_t at) {
    const auto c = static_cast<unsigned char>(text[at]);
    return c < 0x80 ? Utf8Char{c, 1} : decodeMultibyte(text, at);  // ASCII inline: the common case
}

// The start of the character that ends just before byte `at` (at > 0).
std::size_t previousStart(std::string_view text, std::size_t at);

bool isNonAsciiWordChar(char32_t code_point);
inline bool isWordChar(char32_t cp) {
    if (cp < 0x80) return cp == '_' || (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return isNonAsciiWordChar(cp);
}

}  // namespace chatd::plugins::filter
