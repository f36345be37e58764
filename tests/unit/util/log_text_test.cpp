// Peer text made safe for the log: escaped and cut short.
#include "util/log_text.h"

#include <gtest/gtest.h>

namespace chatd::util {
namespace {

using namespace std::string_literals;

TEST(LogText, PrintableAsciiAndValidUtf8PassUnchanged) {
    EXPECT_EQ(escapeForLog("/ws?room=%23lobby&x=1"), "/ws?room=%23lobby&x=1");
    EXPECT_EQ(escapeForLog("grüße, 世界 🎉"), "grüße, 世界 🎉");
    EXPECT_EQ(escapeForLog(""), "");
}

TEST(LogText, ControlBytesDelAndTheBackslashAreEscaped) {
    EXPECT_EQ(escapeForLog("a\x1b[2Jb"), "a\\x1b[2Jb");
    EXPECT_EQ(escapeForLog("nul\0here"s), "nul\\x00here");
    EXPECT_EQ(escapeForLog("del\x7f\r\n\t"), "del\\x7f\\x0d\\x0a\\x09");
    // An escape in the input cannot pass for one of ours.
    EXPECT_EQ(escapeForLog("\\x1b"), "\\\\x1b");
}

TEST(LogText, C1ControlsAndInvalidUtf8AreEscapedByteByByte) {
    EXPECT_EQ(escapeForLog("csi\xc2\x9b[31m"), "csi\\xc2\\x9b[31m");  // U+009B
    EXPECT_EQ(escapeForLog("\xc2\xa0"), "\xc2\xa0");                  // U+00A0 is printable
    EXPECT_EQ(escapeForLog("\xff\xfe"), "\\xff\\xfe");
    EXPECT_EQ(escapeForLog("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
    EXPECT_EQ(escapeForLog("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
    EXPECT_EQ(escapeForLog("cut \xe4\xb8"), "cut \\xe4\\xb8");            // a character cut short
    EXPECT_EQ(escapeForLog("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
}

TEST(LogText, LongTextIsCutAndSaysHowLongItWas) {
    const std::string target(15'000, 'a');
    EXPECT_EQ(escapeForLog(target), std::string(kLogTextBytes, 'a') + "... (15000 bytes)");
    EXPECT_EQ(escapeForLog(std::string(kLogTextBytes, 'a')), std::string(kLogTextBytes, 'a'));
    // Never inside an escape or a character.
    EXPECT_EQ(escapeForLog("abc\x01", 5), "abc... (4 bytes)");
    EXPECT_EQ(escapeForLog("ab世界", 4), "ab... (8 bytes)");
    // The output is bounded whatever the input is made of.
    const std::string hostile(15'000, '\0');
    EXPECT_LE(escapeForLog(hostile).size(), kLogTextBytes + 32);
}

TEST(LogText, FormattingALogTextEscapesIt) {
    EXPECT_EQ(fmt::format("path {}", LogText{"/ws?\x1b]0;owned\x07"}), "path /ws?\\x1b]0;owned\\x07");
    EXPECT_EQ(fmt::format("[{}]", LogText{"abcdef", 3}), "[abc... (6 bytes)]");
}

}  // namespace
}  // namespace chatd::util
