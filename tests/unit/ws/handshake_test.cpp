// Tests of the handshake helpers: accept key, client key format, header tokens.
#include "ws/handshake.h"

#include <gtest/gtest.h>

namespace chatd::ws {
namespace {

using Tokens = std::vector<std::string>;

// The example of RFC 6455 section 1.3 (cross-checked with Python hashlib).
TEST(Handshake, AcceptKeyRfcExample) {
    EXPECT_EQ(computeAcceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(Handshake, AcceptKeyOfAnotherKey) {
    // Value produced by an independent implementation (Python hashlib + base64).
    EXPECT_EQ(computeAcceptKey("x3JJHMbDL1EzLkh9GBhXDw=="), "HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
}

TEST(Handshake, ValidClientKeys) {
    EXPECT_TRUE(isValidClientKey("dGhlIHNhbXBsZSBub25jZQ=="));
    EXPECT_TRUE(isValidClientKey("AAAAAAAAAAAAAAAAAAAAAA=="));
    EXPECT_TRUE(isValidClientKey("+/+/+/+/+/+/+/+/+/+/+w=="));
}

TEST(Handshake, InvalidClientKeys) {
    EXPECT_FALSE(isValidClientKey(""));
    EXPECT_FALSE(isValidClientKey("dGhlIHNhbXBsZSBub25jZQ="));    // 23 chars
    EXPECT_FALSE(isValidClientKey("dGhlIHNhbXBsZSBub25jZQ==="));  // 25 chars
    EXPECT_FALSE(isValidClientKey("dGhlIHNhbXBsZSBub25jZQAA"));   // no padding: 18 bytes
    EXPECT_FALSE(isValidClientKey("dGhlIHNhbXBsZSBub25jZ==="));   // padding too early
    EXPECT_FALSE(isValidClientKey("dGhlIHNhbXBsZSBub25j-Q=="));   // base64url char
    EXPECT_FALSE(isValidClientKey("dGhlIHNhbXBsZSBub25j Q=="));
}

TEST(Handshake, SplitTokenList) {
    EXPECT_EQ(splitTokenList("a, b ,c"), (Tokens{"a", "b", "c"}));
    EXPECT_EQ(splitTokenList("chatd.v1"), (Tokens{"chatd.v1"}));
    EXPECT_EQ(splitTokenList(" ,, a,\t,b\t, "), (Tokens{"a", "b"}));
    EXPECT_EQ(splitTokenList(""), Tokens{});
    EXPECT_EQ(splitTokenList(" , "), Tokens{});
}

TEST(Handshake, HeaderHasTokenIgnoresCase) {
    EXPECT_TRUE(headerHasToken("keep-alive, Upgrade", "upgrade"));
    EXPECT_TRUE(headerHasToken("Upgrade", "Upgrade"));
    EXPECT_TRUE(headerHasToken("WebSocket", "websocket"));
    EXPECT_TRUE(headerHasToken(" upgrade ,keep-alive", "Upgrade"));
}

TEST(Handshake, HeaderHasTokenNeedsWholeToken) {
    EXPECT_FALSE(headerHasToken("keep-alive", "upgrade"));
    EXPECT_FALSE(headerHasToken("upgrade-insecure", "upgrade"));
    EXPECT_FALSE(headerHasToken("xupgrade", "upgrade"));
    EXPECT_FALSE(headerHasToken("", "upgrade"));
    EXPECT_FALSE(headerHasToken("up grade", "upgrade"));
}

}  // namespace
}  // namespace chatd::ws
