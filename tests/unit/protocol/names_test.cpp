// Tests for the chatd.v1 name rules at their boundaries.
#include <gtest/gtest.h>

#include <string>

#include "protocol/names.h"

namespace chatd::protocol {
namespace {

TEST(Names, NickLengthBoundaries) {
    EXPECT_FALSE(isValidNick(""));
    EXPECT_TRUE(isValidNick("a"));
    EXPECT_TRUE(isValidNick(std::string(32, 'n')));
    EXPECT_FALSE(isValidNick(std::string(33, 'n')));
}

TEST(Names, RoomLengthBoundaries) {
    EXPECT_FALSE(isValidRoom(""));
    EXPECT_TRUE(isValidRoom("r"));
    EXPECT_TRUE(isValidRoom(std::string(64, 'r')));
    EXPECT_FALSE(isValidRoom(std::string(65, 'r')));
}

TEST(Names, AllowedCharacters) {
    EXPECT_TRUE(isValidNick("Az09_-."));
    EXPECT_TRUE(isValidNick("guest-12"));
    EXPECT_TRUE(isValidRoom("#general.dev_room-2"));
    EXPECT_TRUE(isValidRoom("#"));
    EXPECT_FALSE(isValidNick("#general"));  // '#' only in rooms
    EXPECT_FALSE(isValidNick("a#b"));
}

TEST(Names, EveryOtherAsciiByteRejected) {
    const std::string nick_extra = "_-.";
    for (int c = 0; c < 0x80; ++c) {
        char ch = static_cast<char>(c);
        bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        bool nick_ok = alnum || nick_extra.find(ch) != std::string::npos;
        std::string name = std::string("x") + ch + "y";
        EXPECT_EQ(isValidNick(name), nick_ok) << "byte " << c;
        EXPECT_EQ(isValidRoom(name), nick_ok || ch == '#') << "byte " << c;
    }
}

TEST(Names, NonAsciiRejected) {
    EXPECT_FALSE(isValidNick("j\xC3\xB6rg"));  // jörg
    EXPECT_FALSE(isValidRoom("caf\xC3\xA9"));  // café
    EXPECT_FALSE(isValidNick("\xF0\x9F\x98\x80"));
    EXPECT_FALSE(isValidNick(std::string("a\0b", 3)));
    EXPECT_FALSE(isValidNick("a b"));
}

TEST(Names, FoldNameLowersAsciiOnly) {
    EXPECT_EQ(foldName("Alice.B-1_Z"), "alice.b-1_z");
    EXPECT_EQ(foldName(""), "");
    EXPECT_EQ(foldName("#Room"), "#room");
    EXPECT_EQ(foldName("\xC3\x84"), "\xC3\x84");  // non-ASCII untouched
    EXPECT_EQ(foldName("ALICE"), foldName("alice"));
    EXPECT_NE(foldName("alice"), foldName("alice_"));
}

}  // namespace
}  // namespace chatd::protocol
