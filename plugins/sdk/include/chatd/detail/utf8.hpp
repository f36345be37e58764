// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF): a byte-range state machine following Table 3-7 of the
// Unicode Standard, with a fast path that skips ASCII 8 bytes at a time. The
// one validator of the project: the daemon's WebSocket decoder (streaming,
// for fragmented messages), its plugin host and the fake host all use it, so
// text is judged the same way in plugin tests and in production.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace chatd::sdk::detail {

// Validates UTF-8 fed in pieces that may split a code point anywhere.
// feed() returns false as soon as a byte cannot be part of valid UTF-8, so a
// bad fragment is refused without waiting for the rest of the message; once
// failed it stays failed until reset().
class Utf8Validator {
public:
    bool feed(std::string_view bytes) noexcept {
        if (failed_) return false;
        // The state is kept in locals so the loop runs in registers.
        unsigned pending = pending_;
        unsigned low = low_;
        unsigned high = high_;
        auto p = reinterpret_cast<const unsigned char*>(bytes.data());
        const auto end = p + bytes.size();
        while (p < end) {
            const unsigned c = *p++;
            if (pending != 0) {
                if (c < low || c > high) return fail();
                --pending;
                low = 0x80;
                high = 0xBF;
                continue;
            }
            if (c < 0x80) {
                p = skipAsciiWords(p, end);
                continue;
            }
            // Lead byte: how many continuation bytes follow and the range of the
            // first one (the narrowed ranges exclude overlongs, surrogates, > U+10FFFF).
            if (c >= 0xC2 && c <= 0xDF) {
                pending = 1;
            } else if (c == 0xE0) {
                pending = 2;
                low = 0xA0;
            } else if (c == 0xED) {
                pending = 2;
                high = 0x9F;
            } else if (c >= 0xE1 && c <= 0xEF) {
                pending = 2;
            } else if (c == 0xF0) {
                pending = 3;
                low = 0x90;
            } else if (c >= 0xF1 && c <= 0xF3) {
                pending = 3;
            } else if (c == 0xF4) {
                pending = 3;
                high = 0x8F;
            } else {
                return fail();  // 0x80-0xC1 (stray continuation, overlong lead) or 0xF5-0xFF
            }
        }
        pending_ = static_cast<std::uint8_t>(pending);
        low_ = static_cast<std::uint8_t>(low);
        high_ = static_cast<std::uint8_t>(high);
        return true;
    }
    // True when everything fed so far is valid and no code point is cut short.
    bool complete() const noexcept { return !failed_ && pending_ == 0; }
    void reset() noexcept { *this = Utf8Validator{}; }

private:
    // Advances p past the longest run of ASCII it can prove 8 bytes at a time.
    static const unsigned char* skipAsciiWords(const unsigned char* p, const unsigned char* end) noexcept {
        constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
        while (end - p >= 8) {
            std::uint64_t word;
            std::memcpy(&word, p, sizeof word);
            if ((word & kHighBits) != 0) break;
            p += 8;
        }
        return p;
    }
    bool fail() noexcept {
        failed_ = true;
        return false;
    }

    std::uint8_t pending_ = 0;  // continuation bytes still expected
    std::uint8_t low_ = 0x80;   // allowed range of the next continuation byte
    std::uint8_t high_ = 0xBF;
    bool failed_ = false;
};

// True when the whole buffer is valid UTF-8.
inline bool isValidUtf8(std::string_view text) noexcept {
    Utf8Validator validator;
    return validator.feed(text) && validator.complete();
}

// Appends the UTF-8 encoding of a Unicode scalar value (JSON \u escapes).
inline void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace chatd::sdk::detail
