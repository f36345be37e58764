// Tests of frame encoding: exact header bytes for every length form, close
// frames (code, reason truncation at a UTF-8 boundary), and client frames with
// masking and deliberately bad header bits.
#include "ws/frame_encoder.h"

#include <gtest/gtest.h>

#include <string>

namespace chatd::ws {
namespace {

using namespace std::string_literals;

TEST(FrameEncoder, SmallTextFrameBytes) {
    EXPECT_EQ(encodeFrame(Opcode::Text, "hello"), "\x81\x05hello"s);
    EXPECT_EQ(encodeFrame(Opcode::Binary, ""), "\x82\x00"s);
    EXPECT_EQ(encodeFrame(Opcode::Ping, "p"), "\x89\x01p"s);
    EXPECT_EQ(encodeFrame(Opcode::Pong, ""), "\x8A\x00"s);
}

TEST(FrameEncoder, LengthFormBoundaries) {
    struct Case {
        std::size_t size;
        std::string header;
    };
    const Case cases[] = {
        {0, "\x82\x00"s},
        {125, "\x82\x7D"s},
        {126, "\x82\x7E\x00\x7E"s},
        {65535, "\x82\x7E\xFF\xFF"s},
        {65536, "\x82\x7F\x00\x00\x00\x00\x00\x01\x00\x00"s},
    };
    for (const Case& c : cases) {
        const std::string payload(c.size, 'z');
        const std::string frame = encodeFrame(Opcode::Binary, payload);
        ASSERT_EQ(frame.size(), c.header.size() + c.size) << c.size;
        EXPECT_EQ(frame.substr(0, c.header.size()), c.header) << c.size;
        EXPECT_EQ(frame.substr(c.header.size()), payload) << c.size;
    }
}

TEST(FrameEncoder, AppendFrameAppendsSeveralFrames) {
    std::string out = "prefix";
    appendFrame(out, Opcode::Text, "a");
    appendFrame(out, Opcode::Text, "bc");
    EXPECT_EQ(out,
              "prefix\x81\x01"
              "a\x81\x02"
              "bc"s);
}

TEST(FrameEncoder, CloseFrameCodeAndReason) {
    EXPECT_EQ(encodeCloseFrame(1000, ""), "\x88\x02\x03\xE8"s);
    EXPECT_EQ(encodeCloseFrame(1008, "slow consumer"), "\x88\x0F\x03\xF0slow consumer"s);
    EXPECT_EQ(encodeCloseFrame(4999, "x"), "\x88\x03\x13\x87x"s);
}

TEST(FrameEncoder, CloseFrameWithCodeNotAllowedOnWireHasNoPayload) {
    EXPECT_EQ(encodeCloseFrame(close_code::NoStatus, "ignored"), "\x88\x00"s);
    EXPECT_EQ(encodeCloseFrame(close_code::Abnormal, ""), "\x88\x00"s);
}

TEST(FrameEncoder, CloseReasonFillsExactly125Bytes) {
    const std::string reason = std::string(120, 'a') + "\xE2\x82\xAC";  // 123 bytes
    const std::string frame = encodeCloseFrame(1001, reason);
    ASSERT_EQ(frame.size(), 2u + 125u);
    EXPECT_EQ(frame.substr(4), reason);
}

TEST(FrameEncoder, CloseReasonIsCutAtUtf8Boundary) {
    const std::string reason = std::string(121, 'a') + "\xE2\x82\xAC" + "tail";  // euro straddles 123
    const std::string frame = encodeCloseFrame(1001, reason);
    EXPECT_EQ(static_cast<unsigned char>(frame[1]), 2u + 121u);
    EXPECT_EQ(frame.substr(4), std::string(121, 'a'));
}

TEST(FrameEncoder, LongAsciiCloseReasonIsCutAt123) {
    const std::string frame = encodeCloseFrame(1000, std::string(300, 'r'));
    EXPECT_EQ(frame.size(), 2u + 125u);
    EXPECT_EQ(frame.substr(4), std::string(123, 'r'));
}

TEST(ClientFrameEncoder, MaskedWithKeyBigEndian) {
    const std::string frame = encodeClientFrame(Opcode::Text, "Hello", {.mask_key = 0x37FA213D});
    // The masked "Hello" example of RFC 6455 section 5.7.
    EXPECT_EQ(frame, "\x81\x85\x37\xFA\x21\x3D\x7F\x9F\x4D\x51\x58"s);
}

TEST(ClientFrameEncoder, LengthFormsCarryMaskBit) {
    EXPECT_EQ(encodeClientFrame(Opcode::Binary, std::string(126, 'q')).substr(0, 8),
              "\x82\xFE\x00\x7E\x12\x34\x56\x78"s);
    EXPECT_EQ(encodeClientFrame(Opcode::Binary, std::string(65536, 'q')).substr(0, 14),
              "\x82\xFF\x00\x00\x00\x00\x00\x01\x00\x00\x12\x34\x56\x78"s);
}

TEST(ClientFrameEncoder, HeaderBitsAreSettable) {
    EXPECT_EQ(encodeClientFrame(Opcode::Text, "ab", {.mask = false}),
              "\x81\x02"
              "ab"s);
    EXPECT_EQ(encodeClientFrame(Opcode::Text, "", {.fin = false}).substr(0, 2), "\x01\x80"s);
    EXPECT_EQ(static_cast<unsigned char>(encodeClientFrame(Opcode::Text, "", {.rsv = 4})[0]), 0xC1u);
    EXPECT_EQ(static_cast<unsigned char>(encodeClientFrame(Opcode::Text, "", {.rsv = 2})[0]), 0xA1u);
    EXPECT_EQ(static_cast<unsigned char>(encodeClientFrame(Opcode::Text, "", {.rsv = 1})[0]), 0x91u);
}

TEST(ClientFrameEncoder, RawOpcodeIsEncodable) {
    EXPECT_EQ(encodeClientFrame(std::uint8_t{3}, "", {.mask = false}), "\x83\x00"s);
    EXPECT_EQ(encodeClientFrame(std::uint8_t{15}, "", {.mask = false}), "\x8F\x00"s);
}

TEST(ClientFrameEncoder, AppendClientFrameAppends) {
    std::string out;
    appendClientFrame(out, 1, "a", {.mask = false});
    appendClientFrame(out, 2, "b", {.mask = false});
    EXPECT_EQ(out,
              "\x81\x01"
              "a\x82\x01"
              "b"s);
}

}  // namespace
}  // namespace chatd::ws
