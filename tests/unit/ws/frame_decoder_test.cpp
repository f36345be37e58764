// Tests of FrameDecoder on valid input: each event kind, zero-copy payloads,
// round trips of every length form in both roles, several frames per buffer
// and frames arriving one byte at a time.
#include "ws/frame_decoder.h"

#include <gtest/gtest.h>

#include "decode_helpers.h"
#include "ws/frame_encoder.h"

namespace chatd::ws {
namespace {

using namespace std::string_literals;
using Kind = DecodedEvent::Kind;
using test::CollectedEvent;

constexpr std::size_t kMax = 1 << 20;

TEST(FrameDecoder, MaskedTextFrameIsUnmaskedInPlaceWithoutCopy) {
    FrameDecoder decoder(Role::Server, kMax);
    std::string buf = encodeClientFrame(Opcode::Text, "Hello");
    std::size_t consumed = 0;
    DecodedEvent event;
    DecodeError error;
    ASSERT_EQ(decoder.next(buf, consumed, event, error), DecodeStatus::Event);
    EXPECT_EQ(consumed, buf.size());
    EXPECT_EQ(event.kind, Kind::Text);
    EXPECT_EQ(event.payload, "Hello");
    EXPECT_EQ(event.payload.data(), buf.data() + 6);  // a view into buf, after the header
}

TEST(FrameDecoder, EmptyBufferNeedsMore) {
    FrameDecoder decoder(Role::Server, kMax);
    std::string buf;
    std::size_t consumed = 99;
    DecodedEvent event;
    DecodeError error;
    EXPECT_EQ(decoder.next(buf, consumed, event, error), DecodeStatus::NeedMore);
    EXPECT_EQ(consumed, 0u);
}

TEST(FrameDecoder, EveryEventKind) {
    FrameDecoder decoder(Role::Server, kMax);
    std::string bytes = encodeClientFrame(Opcode::Text, "t") + encodeClientFrame(Opcode::Binary, "\xFF\x00"s) +
                        encodeClientFrame(Opcode::Ping, "pi") + encodeClientFrame(Opcode::Pong, "po") +
                        encodeClientFrame(Opcode::Close,
                                          "\x03\xE8"
                                          "bye"s);
    const auto result = test::decodeAll(decoder, bytes);
    ASSERT_FALSE(result.error) << result.error->reason;
    const std::vector<CollectedEvent> expected = {
        {Kind::Text, "t"},
        {Kind::Binary, "\xFF\x00"s},
        {Kind::Ping, "pi"},
        {Kind::Pong, "po"},
        {Kind::Close,
         "\x03\xE8"
         "bye"s,
         1000, "bye"},
    };
    EXPECT_EQ(result.events, expected);
    EXPECT_TRUE(result.leftover.empty());
}

TEST(FrameDecoder, SeveralFramesInOneBufferOneEventPerCall) {
    FrameDecoder decoder(Role::Server, kMax);
    const std::string first = encodeClientFrame(Opcode::Text, "one");
    const std::string second = encodeClientFrame(Opcode::Text, "two");
    std::string buf = first + second + "\x81"s;  // plus the first byte of a third frame
    std::size_t consumed = 0;
    DecodedEvent event;
    DecodeError error;
    ASSERT_EQ(decoder.next(buf, consumed, event, error), DecodeStatus::Event);
    EXPECT_EQ(consumed, first.size());
    EXPECT_EQ(event.payload, "one");
    buf.erase(0, consumed);
    ASSERT_EQ(decoder.next(buf, consumed, event, error), DecodeStatus::Event);
    EXPECT_EQ(consumed, second.size());
    EXPECT_EQ(event.payload, "two");
    buf.erase(0, consumed);
    EXPECT_EQ(decoder.next(buf, consumed, event, error), DecodeStatus::NeedMore);
    EXPECT_EQ(consumed, 0u);
}

TEST(FrameDecoder, CloseWithoutPayloadReportsNoStatus) {
    FrameDecoder decoder(Role::Server, kMax);
    const auto result = test::decodeAll(decoder, encodeClientFrame(Opcode::Close, ""));
    ASSERT_EQ(result.events.size(), 1u);
    EXPECT_EQ(result.events[0].kind, Kind::Close);
    EXPECT_EQ(result.events[0].close_code, close_code::NoStatus);
    EXPECT_EQ(result.events[0].close_reason, "");
}

TEST(FrameDecoder, CloseWithApplicationCodeAndUtf8Reason) {
    FrameDecoder decoder(Role::Server, kMax);
    const auto result = test::decodeAll(decoder, encodeClientFrame(Opcode::Close,
                                                                   "\x0F\xA0"
                                                                   "d\xC3\xA9j\xC3\xA0"s));
    ASSERT_EQ(result.events.size(), 1u);
    EXPECT_EQ(result.events[0].close_code, 4000);
    EXPECT_EQ(result.events[0].close_reason, "d\xC3\xA9j\xC3\xA0");
}

TEST(FrameDecoder, ControlFrameOf125BytesIsAccepted) {
    FrameDecoder decoder(Role::Server, kMax);
    const auto result = test::decodeAll(decoder, encodeClientFrame(Opcode::Ping, std::string(125, 'p')));
    ASSERT_FALSE(result.error);
    ASSERT_EQ(result.events.size(), 1u);
    EXPECT_EQ(result.events[0].payload.size(), 125u);
}

TEST(FrameDecoder, BinaryNeedNotBeUtf8) {
    FrameDecoder decoder(Role::Server, kMax);
    const auto result = test::decodeAll(decoder, encodeClientFrame(Opcode::Binary, "\xC0\xAF\xFF"s));
    ASSERT_FALSE(result.error);
    EXPECT_EQ(result.events.at(0).payload, "\xC0\xAF\xFF"s);
}

class LengthRoundTrip : public ::testing::TestWithParam<std::size_t> {};

std::string patterned(std::size_t size) {
    std::string s(size, '\0');
    for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>('a' + i % 26);
    return s;
}

TEST_P(LengthRoundTrip, ClientToServer) {
    const std::string payload = patterned(GetParam());
    FrameDecoder decoder(Role::Server, kMax);
    const auto result = test::decodeAll(decoder, encodeClientFrame(Opcode::Text, payload, {.mask_key = 0xA1B2C3D4}));
    ASSERT_FALSE(result.error) << result.error->reason;
    ASSERT_EQ(result.events.size(), 1u);
    EXPECT_EQ(result.events[0].payload, payload);
}

TEST_P(LengthRoundTrip, ServerToClient) {
    const std::string payload = patterned(GetParam());
    FrameDecoder decoder(Role::Client, kMax);
    const auto result = test::decodeAll(decoder, encodeFrame(Opcode::Binary, payload));
    ASSERT_FALSE(result.error) << result.error->reason;
    ASSERT_EQ(result.events.size(), 1u);
    EXPECT_EQ(result.events[0].kind, Kind::Binary);
    EXPECT_EQ(result.events[0].payload, payload);
}

TEST_P(LengthRoundTrip, ExactlyAtTheLimitIsAccepted) {
    const std::string payload = patterned(GetParam());
    FrameDecoder decoder(Role::Server, payload.size());
    const auto result = test::decodeAll(decoder, encodeClientFrame(Opcode::Text, payload));
    ASSERT_FALSE(result.error) << result.error->reason;
    EXPECT_EQ(result.events.at(0).payload, payload);
}

INSTANTIATE_TEST_SUITE_P(AllLengthForms, LengthRoundTrip, ::testing::Values(0, 1, 125, 126, 127, 65535, 65536, 100000));

TEST(FrameDecoder, ByteAtATimeGivesTheSameEventsAsAllAtOnce) {
    std::string bytes;
    bytes += encodeClientFrame(Opcode::Text, "caf\xC3\xA9");
    bytes += encodeClientFrame(Opcode::Binary, patterned(300));
    bytes += encodeClientFrame(Opcode::Text, "frag-", {.fin = false});
    bytes += encodeClientFrame(Opcode::Ping, "mid");
    bytes += encodeClientFrame(Opcode::Continuation, "ment", {.mask_key = 0x01020304});
    bytes += encodeClientFrame(Opcode::Binary, patterned(70000));
    bytes += encodeClientFrame(Opcode::Close, "\x03\xE9"s);

    FrameDecoder whole(Role::Server, kMax);
    const auto expected = test::decodeAll(whole, bytes);
    ASSERT_FALSE(expected.error) << expected.error->reason;
    ASSERT_EQ(expected.events.size(), 6u);
    EXPECT_EQ(expected.events[3].payload, "frag-ment");

    FrameDecoder trickle(Role::Server, kMax);
    const auto actual = test::decodeByteByByte(trickle, bytes);
    ASSERT_FALSE(actual.error) << actual.error->reason;
    EXPECT_EQ(actual.events, expected.events);
    EXPECT_TRUE(actual.leftover.empty());
}

TEST(FrameDecoder, NonMinimalLengthEncodingIsAccepted) {
    FrameDecoder decoder(Role::Client, kMax);
    const auto result16 = test::decodeAll(decoder, "\x81\x7E\x00\x02hi"s);
    ASSERT_FALSE(result16.error);
    EXPECT_EQ(result16.events.at(0).payload, "hi");
    const auto result64 = test::decodeAll(decoder, "\x81\x7F\x00\x00\x00\x00\x00\x00\x00\x02hi"s);
    ASSERT_FALSE(result64.error);
    EXPECT_EQ(result64.events.at(0).payload, "hi");
}

TEST(FrameDecoder, ClientRoleDecodesServerCloseFrame) {
    FrameDecoder decoder(Role::Client, kMax);
    const auto result = test::decodeAll(decoder, encodeCloseFrame(1008, "slow consumer"));
    ASSERT_FALSE(result.error);
    EXPECT_EQ(result.events.at(0).close_code, 1008);
    EXPECT_EQ(result.events.at(0).close_reason, "slow consumer");
}

}  // namespace
}  // namespace chatd::ws
