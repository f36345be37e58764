// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), whole-buffer and streaming for fragmented messages.
#pragma once

#include <cstdint>
#include <string_view>

namespace chatd::ws {

// Validates UTF-8 fed in pieces that may split a code point anywhere.
// feed() returns false as soon as a byte cannot be part of valid UTF-8, so a
// bad fragment is refused without waiting for the rest of the message; once
// failed it stays failed until reset().
class Utf8Validator {
public:
    bool feed(std::string_view bytes);
    // True when everything fed so far is valid and no code point is cut short.
    bool complete() const { return !failed_ && pending_ == 0; }
    void reset() { *this = Utf8Validator{}; }

private:
    bool fail() {
        failed_ = true;
        return false;
    }

    std::uint8_t pending_ = 0;  // continuation bytes still expected
    std::uint8_t low_ = 0x80;   // allowed range of the next continuation byte
    std::uint8_t high_ = 0xBF;
    bool failed_ = false;
};

// True when the whole buffer is valid UTF-8 (ASCII is checked 8 bytes at a time).
bool isValidUtf8(std::string_view bytes);

}  // namespace chatd::ws
