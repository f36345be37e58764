// Cross-checks isValidUtf8 against a straightforward reference decoder over
// every code point and every 1-, 2- and 3-byte string (4-byte strings are
// covered for every lead byte with all second bytes).
#include "ws/utf8.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace chatd::ws {
namespace {

// Reference: decode each sequence by its lead byte, then refuse bad
// continuation bytes, overlongs, surrogates and values above U+10FFFF.
bool referenceIsValid(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto lead = static_cast<unsigned char>(s[i]);
        std::size_t length;
        std::uint32_t cp;
        if (lead < 0x80) {
            length = 1;
            cp = lead;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2;
            cp = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            cp = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            cp = lead & 0x07;
        } else
            return false;
        if (i + length > s.size()) return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        const std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < smallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += length;
    }
    return true;
}

std::string encodeCodePoint(std::uint32_t cp) {
    std::string out;
    sdk::detail::appendUtf8(out, cp);  // the encoder is not under test here: the validator is
    return out;
}

TEST(Utf8Exhaustive, EveryCodePoint) {
    for (std::uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
        const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        ASSERT_EQ(isValidUtf8(encodeCodePoint(cp)), !surrogate) << std::hex << cp;
    }
}

TEST(Utf8Exhaustive, EveryStringOfUpToThreeBytes) {
    std::string s;
    for (int a = 0; a < 256; ++a) {
        s.assign(1, static_cast<char>(a));
        ASSERT_EQ(isValidUtf8(s), referenceIsValid(s)) << a;
        for (int b = 0; b < 256; ++b) {
            s.assign({static_cast<char>(a), static_cast<char>(b)});
            ASSERT_EQ(isValidUtf8(s), referenceIsValid(s)) << a << ' ' << b;
            if (a < 0xC0) continue;  // 3-byte strings starting with ASCII/continuation repeat the above
            for (int c = 0; c < 256; ++c) {
                s.assign({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
                ASSERT_EQ(isValidUtf8(s), referenceIsValid(s)) << a << ' ' << b << ' ' << c;
            }
        }
    }
}

TEST(Utf8Exhaustive, FourByteLeadsWithEverySecondByte) {
    for (int a = 0xF0; a < 256; ++a) {
        for (int b = 0; b < 256; ++b) {
            for (int c : {0x00, 0x80, 0xBF, 0xC0}) {
                const std::string s{static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                                    static_cast<char>(0x80)};
                ASSERT_EQ(isValidUtf8(s), referenceIsValid(s)) << a << ' ' << b << ' ' << c;
            }
        }
    }
}

}  // namespace
}  // namespace chatd::ws
