// Tests of fragmented messages: reassembly, control frames between fragments,
// UTF-8 split across fragments (and failing at the fragment holding the bad
// byte), the size limit over the sum of fragments, and partial consumption.
#include "ws/frame_decoder.h"

#include <gtest/gtest.h>

#include "decode_helpers.h"
#include "ws/frame_encoder.h"

namespace chatd::ws {
namespace {

using namespace std::string_literals;
using Kind = DecodedEvent::Kind;
using test::CollectedEvent;

constexpr std::size_t kMax = 1000;

std::string fragment(Opcode op, std::string_view payload, bool fin) {
    return encodeClientFrame(op, payload, {.fin = fin});
}

TEST(FrameDecoderFragments, TextInThreeFragments) {
    FrameDecoder decoder(Role::Server, kMax);
    const auto result =
        test::decodeAll(decoder, fragment(Opcode::Text, "Hel", false) + fragment(Opcode::Continuation, "lo, ", false) +
                                     fragment(Opcode::Continuation, "world", true));
    ASSERT_FALSE(result.error) << result.error->reason;
    EXPECT_EQ(result.events, (std::vector<CollectedEvent>{{Kind::Text, "Hello, world"}}));
}

TEST(FrameDecoderFragments, BinaryFragmentsAreNotUtf8Checked) {
    FrameDecoder decoder(Role::Server, kMax);
    const auto result = test::decodeAll(
        decoder, fragment(Opcode::Binary, "\xFF", false) + fragment(Opcode::Continuation, "\xC0", true));
    ASSERT_FALSE(result.error);
    EXPECT_EQ(result.events, (std::vector<CollectedEvent>{{Kind::Binary, "\xFF\xC0"s}}));
}

TEST(FrameDecoderFragments, EmptyFragments) {
    FrameDecoder decoder(Role::Server, kMax);
    const auto result =
        test::decodeAll(decoder, fragment(Opcode::Text, "", false) + fragment(Opcode::Continuation, "", false) +
                                     fragment(Opcode::Continuation, "", true));
    ASSERT_FALSE(result.error);
    EXPECT_EQ(result.events, (std::vector<CollectedEvent>{{Kind::Text, ""}}));
}

TEST(FrameDecoderFragments, NonFinalFragmentIsConsumedWithNeedMore) {
    FrameDecoder decoder(Role::Server, kMax);
    const std::string first = fragment(Opcode::Text, "abc", false);
    std::string buf = first + "\x80"s;  // and the first byte of the next frame
    std::size_t consumed = 0;
    DecodedEvent event;
    DecodeError error;
    EXPECT_EQ(decoder.next(buf, consumed, event, error), DecodeStatus::NeedMore);
    EXPECT_EQ(consumed, first.size());

    std::string rest = fragment(Opcode::Continuation, "def", true);
    ASSERT_EQ(decoder.next(rest, consumed, event, error), DecodeStatus::Event);
    EXPECT_EQ(consumed, rest.size());
    EXPECT_EQ(event.payload, "abcdef");
}

TEST(FrameDecoderFragments, ControlFramesBetweenFragmentsAreEventsMeanwhile) {
    FrameDecoder decoder(Role::Server, kMax);
    const std::string bytes = fragment(Opcode::Text, "one ", false) + encodeClientFrame(Opcode::Ping, "p1") +
                              fragment(Opcode::Continuation, "two ", false) + encodeClientFrame(Opcode::Pong, "p2") +
                              encodeClientFrame(Opcode::Ping, "") + fragment(Opcode::Continuation, "three", true) +
                              encodeClientFrame(Opcode::Text, "after");
    const std::vector<CollectedEvent> expected = {
        {Kind::Ping, "p1"}, {Kind::Pong, "p2"}, {Kind::Ping, ""}, {Kind::Text, "one two three"}, {Kind::Text, "after"}};
    EXPECT_EQ(test::decodeAll(decoder, bytes).events, expected);
    FrameDecoder trickle(Role::Server, kMax);
    EXPECT_EQ(test::decodeByteByByte(trickle, bytes).events, expected);
}

TEST(FrameDecoderFragments, CloseBetweenFragmentsIsReturned) {
    FrameDecoder decoder(Role::Server, kMax);
    const auto result =
        test::decodeAll(decoder, fragment(Opcode::Text, "half", false) + encodeClientFrame(Opcode::Close, "\x03\xE8"s));
    ASSERT_FALSE(result.error);
    ASSERT_EQ(result.events.size(), 1u);
    EXPECT_EQ(result.events[0].kind, Kind::Close);
    EXPECT_EQ(result.events[0].close_code, 1000);
}

TEST(FrameDecoderFragments, TextSplitInsideMultibyteCharacters) {
    // "a€b😀" with the euro sign and the emoji cut across fragment boundaries.
    FrameDecoder decoder(Role::Server, kMax);
    const auto result = test::decodeAll(decoder, fragment(Opcode::Text, "a\xE2", false) +
                                                     fragment(Opcode::Continuation, "\x82", false) +
                                                     fragment(Opcode::Continuation,
                                                              "\xAC"
                                                              "b\xF0\x9F",
                                                              false) +
                                                     fragment(Opcode::Continuation, "\x98\x80", true));
    ASSERT_FALSE(result.error) << result.error->reason;
    EXPECT_EQ(result.events.at(0).payload,
              "a\xE2\x82\xAC"
              "b\xF0\x9F\x98\x80");
}

TEST(FrameDecoderFragments, InvalidUtf8FailsAtTheFragmentHoldingIt) {
    // The final fragment never arrives: the error must come from the second one.
    FrameDecoder decoder(Role::Server, kMax);
    const auto result = test::decodeAll(
        decoder, fragment(Opcode::Text, "ok \xED", false) + fragment(Opcode::Continuation, "\xA0\x80", false));
    ASSERT_TRUE(result.error);
    EXPECT_EQ(result.error->close_code, 1007);

    FrameDecoder overlong(Role::Server, kMax);
    const auto early = test::decodeAll(overlong, fragment(Opcode::Text, "\xC0", false));
    ASSERT_TRUE(early.error);
    EXPECT_EQ(early.error->close_code, 1007);
}

TEST(FrameDecoderFragments, TruncatedUtf8AtTheEndOfAMessageIsInvalid) {
    FrameDecoder decoder(Role::Server, kMax);
    const auto result = test::decodeAll(
        decoder, fragment(Opcode::Text, "abc", false) + fragment(Opcode::Continuation, "\xF0\x9F\x98", true));
    ASSERT_TRUE(result.error);
    EXPECT_EQ(result.error->close_code, 1007);
}

TEST(FrameDecoderFragments, SumOfFragmentsOverLimitIsTooBigAtTheHeader) {
    FrameDecoder decoder(Role::Server, 10);
    const std::string third = fragment(Opcode::Continuation, "xxx", true);
    const auto result =
        test::decodeAll(decoder, fragment(Opcode::Text, "12345", false) + fragment(Opcode::Continuation, "678", false) +
                                     third.substr(0, 2));  // header bytes only
    ASSERT_TRUE(result.error);
    EXPECT_EQ(result.error->close_code, 1009);
}

TEST(FrameDecoderFragments, SumOfFragmentsExactlyAtLimitIsAccepted) {
    FrameDecoder decoder(Role::Server, 10);
    const auto result = test::decodeAll(
        decoder, fragment(Opcode::Text, "12345", false) + fragment(Opcode::Continuation, "67890", true));
    ASSERT_FALSE(result.error);
    EXPECT_EQ(result.events.at(0).payload, "1234567890");
}

TEST(FrameDecoderFragments, LimitAppliesPerMessageNotPerConnection) {
    FrameDecoder decoder(Role::Server, 6);
    std::string bytes;
    for (int i = 0; i < 5; ++i) {
        bytes += fragment(Opcode::Binary, "abc", false) + fragment(Opcode::Continuation, "def", true);
    }
    const auto result = test::decodeAll(decoder, bytes);
    ASSERT_FALSE(result.error);
    EXPECT_EQ(result.events.size(), 5u);
}

TEST(FrameDecoderFragments, LargeReassembledMessageThenSmallOne) {
    FrameDecoder decoder(Role::Server, 1 << 20);
    const std::string big(200000, 'b');
    std::string bytes = fragment(Opcode::Binary, big.substr(0, 100000), false) +
                        fragment(Opcode::Continuation, big.substr(100000), true) + fragment(Opcode::Text, "sm", false) +
                        fragment(Opcode::Continuation, "all", true);
    const auto result = test::decodeAll(decoder, bytes);
    ASSERT_FALSE(result.error);
    ASSERT_EQ(result.events.size(), 2u);
    EXPECT_EQ(result.events[0].payload, big);
    EXPECT_EQ(result.events[1].payload, "small");
}

}  // namespace
}  // namespace chatd::ws
