// Tests of every protocol violation FrameDecoder must refuse, each checked
// with the whole input at once and fed one byte at a time, and of the decoder
// staying failed afterwards.
#include "ws/frame_decoder.h"

#include <initializer_list>
#include <gtest/gtest.h>

#include <limits>

#include "decode_helpers.h"
#include "ws/frame_encoder.h"

namespace chatd::ws {
namespace {

using namespace std::string_literals;

constexpr std::size_t kMax = 1000;

// Decodes bytes both ways and checks that it fails with `code` and that no
// event was produced after `events_before` good ones.
void expectFailure(Role role, const std::string& bytes, std::uint16_t code, std::size_t events_before = 0,
                   std::size_t max = kMax) {
    FrameDecoder whole(role, max);
    const auto at_once = test::decodeAll(whole, bytes);
    ASSERT_TRUE(at_once.error.has_value()) << "no error; events: " << at_once.events.size();
    EXPECT_EQ(at_once.error->close_code, code) << at_once.error->reason;
    EXPECT_FALSE(at_once.error->reason.empty());
    EXPECT_EQ(at_once.events.size(), events_before);

    FrameDecoder trickle(role, max);
    const auto byte_by_byte = test::decodeByteByByte(trickle, bytes);
    ASSERT_TRUE(byte_by_byte.error.has_value());
    EXPECT_EQ(byte_by_byte.error->close_code, code) << byte_by_byte.error->reason;
    EXPECT_EQ(byte_by_byte.events.size(), events_before);
}

TEST(FrameDecoderRules, ReservedBitsAreProtocolErrors) {
    for (std::uint8_t rsv : std::initializer_list<std::uint8_t>{1, 2, 4, 7}) {
        SCOPED_TRACE(static_cast<int>(rsv));
        expectFailure(Role::Server, encodeClientFrame(Opcode::Text, "x", {.rsv = rsv}), 1002);
        expectFailure(Role::Client, encodeClientFrame(Opcode::Text, "x", {.rsv = rsv, .mask = false}), 1002);
    }
}

TEST(FrameDecoderRules, UnknownOpcodesAreProtocolErrors) {
    for (std::uint8_t op : std::initializer_list<std::uint8_t>{3, 4, 5, 6, 7, 11, 12, 13, 14, 15}) {
        SCOPED_TRACE(static_cast<int>(op));
        expectFailure(Role::Server, encodeClientFrame(op, ""), 1002);
    }
}

TEST(FrameDecoderRules, UnmaskedClientFrameIsRefusedByServer) {
    expectFailure(Role::Server, encodeClientFrame(Opcode::Text, "hi", {.mask = false}), 1002);
    expectFailure(Role::Server, encodeFrame(Opcode::Ping, ""), 1002);
    FrameDecoder decoder(Role::Server, kMax);
    const auto result = test::decodeAll(decoder, encodeFrame(Opcode::Text, "hi"));
    ASSERT_TRUE(result.error);
    EXPECT_EQ(result.error->reason, "unmasked client frame");
}

TEST(FrameDecoderRules, MaskedServerFrameIsRefusedByClient) {
    expectFailure(Role::Client, encodeClientFrame(Opcode::Text, "hi"), 1002);
    expectFailure(Role::Client, encodeClientFrame(Opcode::Close, ""), 1002);
}

TEST(FrameDecoderRules, ControlFrameOver125BytesIsProtocolError) {
    for (Opcode op : {Opcode::Ping, Opcode::Pong, Opcode::Close}) {
        SCOPED_TRACE(static_cast<int>(op));
        std::string payload(126, 'x');
        payload[0] = '\x03';
        payload[1] = '\xE8';
        expectFailure(Role::Server, encodeClientFrame(op, payload), 1002);
    }
}

TEST(FrameDecoderRules, ControlFrameTooLongIsSeenFromTwoHeaderBytes) {
    FrameDecoder decoder(Role::Server, kMax);
    const auto result = test::decodeAll(decoder, "\x89\xFE"s);  // ping, masked, 16-bit length follows
    ASSERT_TRUE(result.error);
    EXPECT_EQ(result.error->close_code, 1002);
}

TEST(FrameDecoderRules, FragmentedControlFrameIsProtocolError) {
    for (Opcode op : {Opcode::Ping, Opcode::Pong, Opcode::Close}) {
        SCOPED_TRACE(static_cast<int>(op));
        expectFailure(Role::Server, encodeClientFrame(op, "", {.fin = false}), 1002);
    }
}

TEST(FrameDecoderRules, ContinuationWithoutMessageIsProtocolError) {
    expectFailure(Role::Server, encodeClientFrame(Opcode::Continuation, "x"), 1002);
    expectFailure(Role::Server, encodeClientFrame(Opcode::Continuation, "x", {.fin = false}), 1002);
    // Also right after a complete fragmented message.
    const std::string done =
        encodeClientFrame(Opcode::Text, "a", {.fin = false}) + encodeClientFrame(Opcode::Continuation, "b");
    expectFailure(Role::Server, done + encodeClientFrame(Opcode::Continuation, "c"), 1002, 1);
}

TEST(FrameDecoderRules, NewDataFrameInsideFragmentedMessageIsProtocolError) {
    const std::string start = encodeClientFrame(Opcode::Text, "a", {.fin = false});
    expectFailure(Role::Server, start + encodeClientFrame(Opcode::Text, "b"), 1002);
    expectFailure(Role::Server, start + encodeClientFrame(Opcode::Binary, "b"), 1002);
    expectFailure(Role::Server, start + encodeClientFrame(Opcode::Text, "b", {.fin = false}), 1002);
}

TEST(FrameDecoderRules, SixtyFourBitLengthWithTopBitIsProtocolError) {
    // Only the header is present: the length alone decides.
    expectFailure(Role::Client, "\x82\x7F\x80\x00\x00\x00\x00\x00\x00\x01"s, 1002);
    expectFailure(Role::Server, "\x82\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"s, 1002, 0,
                  std::numeric_limits<std::size_t>::max());
}

TEST(FrameDecoderRules, OversizedMessageIsTooBigFromTheHeaderAlone) {
    const std::string frame = encodeClientFrame(Opcode::Text, std::string(kMax + 1, 'x'));
    expectFailure(Role::Server, frame.substr(0, 4), 1009);  // 126-form length, no mask key yet
    expectFailure(Role::Server, frame, 1009);
    const std::string huge = encodeClientFrame(Opcode::Binary, std::string(70000, 'x'));
    expectFailure(Role::Server, huge.substr(0, 10), 1009);  // 127-form length only
}

TEST(FrameDecoderRules, SetMaxMessageBytesTakesEffect) {
    FrameDecoder decoder(Role::Server, kMax);
    decoder.setMaxMessageBytes(4);
    auto ok = test::decodeAll(decoder, encodeClientFrame(Opcode::Text, "four"));
    ASSERT_FALSE(ok.error);
    auto too_big = test::decodeAll(decoder, encodeClientFrame(Opcode::Text, "five!"));
    ASSERT_TRUE(too_big.error);
    EXPECT_EQ(too_big.error->close_code, 1009);
}

TEST(FrameDecoderRules, InvalidUtf8TextIsInvalidPayload) {
    for (const std::string& bad : {"\xC0\xAF"s, "\xED\xA0\x80"s, "\xF4\x90\x80\x80"s, "ok\xE2\x82"s, "\xFF"s}) {
        expectFailure(Role::Server, encodeClientFrame(Opcode::Text, bad), 1007);
    }
}

TEST(FrameDecoderRules, CloseWithOneBytePayloadIsProtocolError) {
    expectFailure(Role::Server, encodeClientFrame(Opcode::Close, "\x03"), 1002);
}

TEST(FrameDecoderRules, CloseWithCodeNotValidOnWireIsProtocolError) {
    for (std::uint16_t code : std::initializer_list<std::uint16_t>{0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535}) {
        SCOPED_TRACE(code);
        const std::string payload{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
        expectFailure(Role::Server, encodeClientFrame(Opcode::Close, payload), 1002);
    }
}

TEST(FrameDecoderRules, CloseWithNonUtf8ReasonIsInvalidPayload) {
    expectFailure(Role::Server, encodeClientFrame(Opcode::Close, "\x03\xE8\xC0\xAF"s), 1007);
    expectFailure(Role::Server,
                  encodeClientFrame(Opcode::Close,
                                    "\x03\xE8"
                                    "bye\xE2\x82"s),
                  1007);
}

TEST(FrameDecoderRules, ErrorAfterGoodFramesKeepsTheGoodEvents) {
    const std::string bytes = encodeClientFrame(Opcode::Text, "fine") + encodeClientFrame(Opcode::Ping, "") +
                              encodeClientFrame(Opcode::Text, "x", {.rsv = 4});
    expectFailure(Role::Server, bytes, 1002, 2);
}

TEST(FrameDecoderRules, DecoderStaysFailedAfterAnError) {
    FrameDecoder decoder(Role::Server, kMax);
    std::string bad = encodeClientFrame(std::uint8_t{3}, "");
    std::size_t consumed = 0;
    DecodedEvent event;
    DecodeError error;
    ASSERT_EQ(decoder.next(bad, consumed, event, error), DecodeStatus::Error);
    EXPECT_EQ(error.close_code, 1002);
    EXPECT_EQ(error.reason, "unknown opcode");

    std::string good = encodeClientFrame(Opcode::Text, "hello");
    DecodeError again;
    EXPECT_EQ(decoder.next(good, consumed, event, again), DecodeStatus::Error);
    EXPECT_EQ(consumed, 0u);
    EXPECT_EQ(again.close_code, 1002);
    EXPECT_EQ(again.reason, "unknown opcode");
}

}  // namespace
}  // namespace chatd::ws
