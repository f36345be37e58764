// Code point classification and minimal UTF-8 decoding for the filter. An
// invalid byte decodes as one U+FFFD (a word character), so the scan always
// advances and never reports a range that splits a valid character.
#include "word_chars.h"

namespace chatd::plugins::filter {

Utf8Char decodeMultibyte(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char c = byte(at);
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (len == 0 || at + len > text.size() || c > 0xF4) return {0xFFFD, 1};
    char32_t cp = c & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(at + k) & 0xC0) != 0x80) return {0xFFFD, 1};
        cp = (cp << 6) | (byte(at + k) & 0x3F);
    }
    return {cp, len};
}

std::size_t previousStart(std::string_view text, std::size_t at) {
    std::size_t i = at - 1;
    for (std::size_t steps = 0; steps < 3 && i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; ++steps)
        --i;
    return decodeAt(text, i).length == at - i ? i : at - 1;
}

bool isNonAsciiWordChar(char32_t cp) {
    if (cp <= 0xBF) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;  // ª µ º; the rest: NBSP, « », ¿, ©, ...
    if (cp == 0xD7 || cp == 0xF7) return false;                     // × ÷
    if (cp >= 0x2000 && cp <= 0x2BFF) return false;  // punctuation, currency, arrows, math, shapes, dingbats
    if (cp >= 0x2E00 && cp <= 0x2E7F) return false;  // supplemental punctuation
    if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK symbols and punctuation, ideographic space
    if (cp >= 0xFE10 && cp <= 0xFE1F) return false;  // vertical forms
    if (cp >= 0xFE30 && cp <= 0xFE6F) return false;  // CJK compatibility and small forms
    if (cp == 0xFEFF) return false;                  // zero width no-break space
    if ((cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
        (cp >= 0xFF5B && cp <= 0xFF65))
        return false;                                  // fullwidth punctuation
    if (cp >= 0x1F000 && cp <= 0x1FAFF) return false;  // emoji and other pictographs
    return true;
}

}  // namespace chatd::plugins::filter
