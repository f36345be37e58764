// The handshake: SHA-1/base64 against known vectors, the request, and every
// way a server's answer can be refused.
#include "handshake.h"

#include <gtest/gtest.h>

#include "sha1.h"
#include "ws/handshake.h"

namespace chatd::bench {
namespace {

std::string hex(const std::array<std::uint8_t, 20>& digest) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (auto byte : digest) (out += digits[byte >> 4]) += digits[byte & 15];
    return out;
}

TEST(Sha1, KnownVectors) {
    EXPECT_EQ(hex(sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    EXPECT_EQ(hex(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(hex(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
              "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    EXPECT_EQ(hex(sha1(std::string(1000000, 'a'))), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST(Base64, PaddingForms) {
    const auto b = [](std::string s) { return base64(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); };
    EXPECT_EQ(b(""), "");
    EXPECT_EQ(b("f"), "Zg==");
    EXPECT_EQ(b("fo"), "Zm8=");
    EXPECT_EQ(b("foo"), "Zm9v");
    EXPECT_EQ(b("foobar"), "Zm9vYmFy");
}

TEST(Handshake, AcceptKeyMatchesRfcExampleAndTheDaemon) {
    EXPECT_EQ(expectedAccept("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    const std::string key = makeWebSocketKey(0x0123456789abcdefull, 0xfedcba9876543210ull);
    EXPECT_EQ(key.size(), 24u);
    EXPECT_EQ(expectedAccept(key), ws::computeAcceptKey(key));
}

TEST(Handshake, RequestOffersTheProtocolOnlyInJsonMode) {
    const std::string raw = buildUpgradeRequest("127.0.0.1", 8080, "/ws", "KEY", Protocol::Raw);
    EXPECT_EQ(raw.rfind("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n", 0), 0u);
    EXPECT_NE(raw.find("Sec-WebSocket-Key: KEY\r\n"), std::string::npos);
    EXPECT_NE(raw.find("Sec-WebSocket-Version: 13\r\n"), std::string::npos);
    EXPECT_EQ(raw.find("Sec-WebSocket-Protocol"), std::string::npos);
    EXPECT_EQ(raw.substr(raw.size() - 4), "\r\n\r\n");
    const std::string json = buildUpgradeRequest("h", 1, "/", "KEY", Protocol::Json);
    EXPECT_NE(json.find("Sec-WebSocket-Protocol: chatd.v1\r\n"), std::string::npos);
}

std::string response(const std::string& status, const std::string& accept, const std::string& extra = "") {
    return "HTTP/1.1 " + status + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept +
           "\r\n" + extra + "\r\n";
}

TEST(Handshake, AcceptsAValidAnswerAndKeepsTheBytesAfterIt) {
    const std::string key = "dGhlIHNhbXBsZSBub25jZQ==";
    const std::string head = response("101 Switching Protocols", expectedAccept(key));
    const auto partial = parseUpgradeResponse(head.substr(0, head.size() - 1), key, Protocol::Raw);
    EXPECT_EQ(partial.status, UpgradeResponse::Status::NeedMore);
    const auto ok = parseUpgradeResponse(head + "\x82\x01x", key, Protocol::Raw);
    ASSERT_EQ(ok.status, UpgradeResponse::Status::Accepted) << ok.failure;
    EXPECT_EQ(ok.header_bytes, head.size());
    const auto json = parseUpgradeResponse(
        response("101 Switching Protocols", expectedAccept(key), "sec-websocket-protocol: chatd.v1\r\n"), key,
        Protocol::Json);
    EXPECT_EQ(json.status, UpgradeResponse::Status::Accepted) << json.failure;
}

TEST(Handshake, RefusesEveryBadAnswerWithItsCause) {
    const std::string key = "dGhlIHNhbXBsZSBub25jZQ==";
    const std::string good = expectedAccept(key);
    const auto cause = [&](const std::string& text, Protocol protocol = Protocol::Raw) {
        const auto r = parseUpgradeResponse(text, key, protocol);
        EXPECT_EQ(r.status, UpgradeResponse::Status::Refused);
        return r.failure;
    };
    EXPECT_EQ(cause(response("503 Service Unavailable", good)), "http 503");
    EXPECT_EQ(cause(response("101 Switching Protocols", "wrong")), "bad accept key");
    EXPECT_EQ(cause("HTTP/1.1 101 OK\r\nSec-WebSocket-Accept: " + good + "\r\n\r\n"), "no Upgrade: websocket");
    EXPECT_EQ(cause("garbage\r\n\r\n"), "malformed status line");
    EXPECT_EQ(cause(response("101 Switching Protocols", good), Protocol::Json), "chatd.v1 not chosen");
    EXPECT_EQ(cause(response("101 Switching Protocols", good, "Sec-WebSocket-Protocol: chatd.v1\r\n")),
              "unrequested sub-protocol");
    EXPECT_EQ(cause(std::string(20000, 'x')), "response header too large");
}

}  // namespace
}  // namespace chatd::bench
