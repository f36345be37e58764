#include "util/log_text.h"

#include <algorithm>

#include "chatd/detail/utf8.hpp"

namespace chatd::util {

namespace {

// The length of the UTF-8 character starting at text[at], or 0 when the bytes
// there are not one valid character.
std::size_t characterLength(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    const std::size_t length = lead < 0xC0 ? 0 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF8 ? 4 : 0;
    if (length == 0 || text.size() - at < length) return 0;
    return sdk::detail::isValidUtf8(text.substr(at, length)) ? length : 0;
}

void appendEscaped(std::string& out, unsigned char byte) {
    constexpr char kHex[] = "0123456789abcdef";
    out += "\\x";
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
}

// U+0080..U+009F: the C1 controls (CSI is U+009B), encoded C2 80..C2 9F.
bool isC1Control(std::string_view character) {
    return character.size() == 2 && static_cast<unsigned char>(character[0]) == 0xC2 &&
           static_cast<unsigned char>(character[1]) < 0xA0;
}

}  // namespace

std::string escapeForLog(std::string_view text, std::size_t max_bytes) {
    std::string out;
    out.reserve(std::min(text.size(), max_bytes) + 16);
    std::size_t at = 0;
    while (at < text.size()) {
        const auto byte = static_cast<unsigned char>(text[at]);
        std::string piece;
        std::size_t consumed = 1;
        if (byte == '\\') {
            piece = "\\\\";
        } else if (byte >= 0x20 && byte < 0x7F) {
            piece = static_cast<char>(byte);
        } else if (const std::size_t length = byte >= 0x80 ? characterLength(text, at) : 0; length > 0) {
            consumed = length;
            const std::string_view character = text.substr(at, length);
            if (isC1Control(character)) {
                appendEscaped(piece, 0xC2);
                appendEscaped(piece, static_cast<unsigned char>(character[1]));
            } else {
                piece = character;
            }
        } else {
            appendEscaped(piece, byte);  // C0 control, DEL, or not UTF-8
        }
        if (out.size() + piece.size() > max_bytes) break;
        out += piece;
        at += consumed;
    }
    if (at < text.size()) out += "... (" + std::to_string(text.size()) + " bytes)";
    return out;
}

}  // namespace chatd::util
