// Tests of strict UTF-8 validation: edge cases, the ASCII fast path, and the
// streaming validator fed in pieces split at every position.
#include "ws/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace chatd::ws {
namespace {

using namespace std::string_literals;

TEST(Utf8, EmptyAndAscii) {
    EXPECT_TRUE(isValidUtf8(""));
    EXPECT_TRUE(isValidUtf8("hello, world"));
    EXPECT_TRUE(isValidUtf8("\0\x7F"s));
}

TEST(Utf8, ValidMultibyte) {
    EXPECT_TRUE(isValidUtf8("\xC2\x80"));          // U+0080, smallest 2-byte
    EXPECT_TRUE(isValidUtf8("\xDF\xBF"));          // U+07FF
    EXPECT_TRUE(isValidUtf8("\xE0\xA0\x80"));      // U+0800, smallest 3-byte
    EXPECT_TRUE(isValidUtf8("\xE2\x82\xAC"));      // euro sign
    EXPECT_TRUE(isValidUtf8("\xED\x9F\xBF"));      // U+D7FF, just below surrogates
    EXPECT_TRUE(isValidUtf8("\xEE\x80\x80"));      // U+E000, just above surrogates
    EXPECT_TRUE(isValidUtf8("\xEF\xBF\xBF"));      // U+FFFF
    EXPECT_TRUE(isValidUtf8("\xF0\x90\x80\x80"));  // U+10000, smallest 4-byte
    EXPECT_TRUE(isValidUtf8("\xF0\x9F\x98\x80"));  // grinning face emoji
    EXPECT_TRUE(isValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
    EXPECT_TRUE(isValidUtf8("caf\xC3\xA9 \xF0\x9F\x8E\x89 ok"));
}

TEST(Utf8, OverlongFormsAreInvalid) {
    EXPECT_FALSE(isValidUtf8("\xC0\xAF"));
    EXPECT_FALSE(isValidUtf8("\xC1\xBF"));
    EXPECT_FALSE(isValidUtf8("\xC0\x80"));  // overlong NUL
    EXPECT_FALSE(isValidUtf8("\xE0\x80\xAF"));
    EXPECT_FALSE(isValidUtf8("\xE0\x9F\xBF"));
    EXPECT_FALSE(isValidUtf8("\xF0\x80\x80\xAF"));
    EXPECT_FALSE(isValidUtf8("\xF0\x8F\xBF\xBF"));
}

TEST(Utf8, SurrogatesAreInvalid) {
    EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));              // U+D800
    EXPECT_FALSE(isValidUtf8("\xED\xBF\xBF"));              // U+DFFF
    EXPECT_FALSE(isValidUtf8("\xED\xA0\xBD\xED\xB8\x80"));  // CESU-8 surrogate pair
}

TEST(Utf8, AboveMaxCodePointIsInvalid) {
    EXPECT_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // U+110000
    EXPECT_FALSE(isValidUtf8("\xF5\x80\x80\x80"));
    EXPECT_FALSE(isValidUtf8("\xF7\xBF\xBF\xBF"));
    EXPECT_FALSE(isValidUtf8("\xF8\x88\x80\x80\x80"));
    EXPECT_FALSE(isValidUtf8("\xFE"));
    EXPECT_FALSE(isValidUtf8("\xFF"));
}

TEST(Utf8, TruncatedSequencesAreInvalid) {
    EXPECT_FALSE(isValidUtf8("\xC3"));
    EXPECT_FALSE(isValidUtf8("\xE2\x82"));
    EXPECT_FALSE(isValidUtf8("\xF0\x9F\x98"));
    EXPECT_FALSE(isValidUtf8("abc\xF0\x9F"));
    EXPECT_FALSE(
        isValidUtf8("\xE2\x82"
                    "abc"));  // cut short by ASCII
    EXPECT_FALSE(
        isValidUtf8("\xF0\x9F\x98"
                    "\xF0\x9F\x98\x80"));
}

TEST(Utf8, StrayContinuationBytesAreInvalid) {
    EXPECT_FALSE(isValidUtf8("\x80"));
    EXPECT_FALSE(isValidUtf8("a\xBF"));
    EXPECT_FALSE(isValidUtf8("\xE2\x82\xAC\xAC"));
}

// Non-ASCII placed at every offset around the 8-byte fast path must be seen.
TEST(Utf8, FastPathSeesBadByteAtEveryOffset) {
    for (std::size_t length = 1; length <= 40; ++length) {
        for (std::size_t at = 0; at < length; ++at) {
            std::string text(length, 'a');
            text[at] = '\x80';
            EXPECT_FALSE(isValidUtf8(text)) << "length " << length << " at " << at;
            text[at] = '\x7F';
            EXPECT_TRUE(isValidUtf8(text)) << "length " << length << " at " << at;
        }
    }
}

TEST(Utf8, FastPathAcceptsMultibyteAtEveryOffset) {
    for (std::size_t at = 0; at <= 24; ++at) {
        std::string text = std::string(at, 'x') + "\xF0\x9F\x98\x80" + std::string(17, 'y');
        EXPECT_TRUE(isValidUtf8(text)) << at;
        text.erase(at + 3, 1);  // drop the last byte of the emoji
        EXPECT_FALSE(isValidUtf8(text)) << at;
    }
}

TEST(Utf8Validator, SplitAtEveryPositionMatchesWholeBuffer) {
    const std::string samples[] = {
        "plain ascii text that is long enough",
        "a\xE2\x82\xAC"
        "b\xF0\x9F\x98\x80"
        "c\xC3\xA9",
        "\xF4\x8F\xBF\xBF\xED\x9F\xBF",
        "ok\xED\xA0\x80",     // surrogate
        "\xC0\xAF",           // overlong
        "x\xF4\x90\x80\x80",  // above U+10FFFF
        "tail\xE2\x82",       // truncated
    };
    for (const std::string& sample : samples) {
        const bool expected = isValidUtf8(sample);
        for (std::size_t split = 0; split <= sample.size(); ++split) {
            Utf8Validator validator;
            const bool fed = validator.feed(sample.substr(0, split)) && validator.feed(sample.substr(split));
            EXPECT_EQ(fed && validator.complete(), expected) << sample << " split at " << split;
        }
    }
}

TEST(Utf8Validator, ByteAtATime) {
    const std::string text = "\xF0\x9F\x98\x80 \xE2\x82\xAC \xC3\xA9";
    Utf8Validator validator;
    for (char c : text) {
        EXPECT_TRUE(validator.feed(std::string(1, c)));
    }
    EXPECT_TRUE(validator.complete());
}

TEST(Utf8Validator, IncompleteWhileCodePointIsOpen) {
    Utf8Validator validator;
    EXPECT_TRUE(validator.feed("a\xE2\x82"));
    EXPECT_FALSE(validator.complete());
    EXPECT_TRUE(validator.feed("\xAC"));
    EXPECT_TRUE(validator.complete());
}

TEST(Utf8Validator, FailsFastAtTheBadPiece) {
    Utf8Validator validator;
    EXPECT_TRUE(validator.feed("abc\xED"));
    EXPECT_FALSE(validator.feed("\xA0"));  // would be a surrogate
    EXPECT_FALSE(validator.complete());

    Utf8Validator overlong;
    EXPECT_FALSE(overlong.feed("\xC0"));  // no continuation can make C0 valid
}

TEST(Utf8Validator, StaysFailedUntilReset) {
    Utf8Validator validator;
    EXPECT_FALSE(validator.feed("\xFF"));
    EXPECT_FALSE(validator.feed("fine"));
    EXPECT_FALSE(validator.complete());
    validator.reset();
    EXPECT_TRUE(validator.feed("fine"));
    EXPECT_TRUE(validator.complete());
}

TEST(Utf8Validator, EmptyPiecesChangeNothing) {
    Utf8Validator validator;
    EXPECT_TRUE(validator.feed(""));
    EXPECT_TRUE(validator.complete());
    EXPECT_TRUE(validator.feed("\xF0"));
    EXPECT_TRUE(validator.feed(""));
    EXPECT_FALSE(validator.complete());
}

}  // namespace
}  // namespace chatd::ws
