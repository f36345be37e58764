// Client frames built by the bench are checked with the daemon's own decoder
// (server role: the strict side), and the bench's server-frame parser is
// checked against the daemon's encoder and against malformed input.
#include "frames.h"

#include <gtest/gtest.h>

#include <span>

#include "ws/frame_decoder.h"
#include "ws/frame_encoder.h"

namespace chatd::bench {
namespace {

// Decodes one frame of `bytes` as chatd would, or fails the test.
ws::DecodedEvent decodeAsServer(std::string& bytes, std::size_t& used) {
    ws::FrameDecoder decoder(ws::Role::Server, 1 << 20);
    ws::DecodedEvent event;
    ws::DecodeError error;
    const auto status = decoder.next(std::span<char>(bytes.data(), bytes.size()), used, event, error);
    EXPECT_EQ(status, ws::DecodeStatus::Event) << error.reason;
    return event;
}

TEST(ClientFrames, AcceptedByTheDaemonsDecoderAtEveryLengthForm) {
    for (std::size_t size : {0u, 1u, 125u, 126u, 65535u, 65536u, 200000u}) {
        std::string payload(size, 'a');
        for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<char>('a' + i % 26);
        std::string frame;
        appendClientFrame(frame, Opcode::Text, payload, 0xA1B2C3D4);
        const std::size_t header = 2 + (size < 126 ? 0 : size <= 65535 ? 2 : 8) + 4;
        EXPECT_EQ(frame.size(), header + size);
        std::size_t used = 0;
        const auto event = decodeAsServer(frame, used);
        EXPECT_EQ(used, frame.size());
        EXPECT_EQ(event.kind, ws::DecodedEvent::Kind::Text);
        EXPECT_EQ(event.payload, payload) << "size " << size;
    }
}

TEST(ClientFrames, AreMaskedOnTheWire) {
    std::string frame;
    appendClientFrame(frame, Opcode::Binary, "hello", 0x01020304);
    EXPECT_EQ(static_cast<unsigned char>(frame[0]), 0x82);  // FIN + binary
    EXPECT_EQ(static_cast<unsigned char>(frame[1]), 0x85);  // MASK + 5
    EXPECT_EQ(frame.substr(2, 4), std::string("\x01\x02\x03\x04", 4));
    EXPECT_EQ(frame[6], 'h' ^ 0x01);
    EXPECT_EQ(frame[10], 'o' ^ 0x01);
}

TEST(ClientFrames, ControlFramesRoundTrip) {
    std::string frame;
    appendClientFrame(frame, Opcode::Pong, "ping-data", 0x55555555);
    std::size_t used = 0;
    EXPECT_EQ(decodeAsServer(frame, used).kind, ws::DecodedEvent::Kind::Pong);
    frame.clear();
    appendClientFrame(frame, Opcode::Close, std::string("\x03\xe8", 2), 7);
    const auto close = decodeAsServer(frame, used);
    EXPECT_EQ(close.kind, ws::DecodedEvent::Kind::Close);
    EXPECT_EQ(close.close_code, 1000);
}

ParseStatus parse(std::string_view bytes, std::size_t& used, ServerFrame& frame, std::string& error,
                  std::size_t max = 1 << 20) {
    return parseServerFrame(bytes, max, used, frame, error);
}

TEST(ServerFrames, ParsesWhatTheDaemonEncodesIncludingSplitArrival) {
    for (std::size_t size : {0u, 5u, 126u, 70000u}) {
        std::string frame;
        ws::appendFrame(frame, ws::Opcode::Binary, std::string(size, 'z'));
        ServerFrame parsed;
        std::size_t used = 0;
        std::string error;
        for (std::size_t cut = 0; cut < std::min<std::size_t>(frame.size(), 12); ++cut)
            EXPECT_EQ(parse(std::string_view(frame).substr(0, cut), used, parsed, error), ParseStatus::NeedMore);
        frame += "next";
        ASSERT_EQ(parse(frame, used, parsed, error), ParseStatus::Frame) << error;
        EXPECT_EQ(used, frame.size() - 4);
        EXPECT_EQ(parsed.opcode, Opcode::Binary);
        EXPECT_TRUE(parsed.fin);
        EXPECT_EQ(parsed.payload.size(), size);
    }
}

TEST(ServerFrames, RejectsEveryViolation) {
    ServerFrame frame;
    std::size_t used = 0;
    std::string error;
    EXPECT_EQ(parse(std::string("\x81\x85", 2) + "mask" + "hello", used, frame, error), ParseStatus::Error);
    EXPECT_EQ(error, "masked server frame");
    EXPECT_EQ(parse(std::string("\xC1\x00", 2), used, frame, error), ParseStatus::Error);
    EXPECT_EQ(error, "reserved bits set");
    EXPECT_EQ(parse(std::string("\x83\x00", 2), used, frame, error), ParseStatus::Error);
    EXPECT_EQ(error, "unknown opcode 3");
    EXPECT_EQ(parse(std::string("\x09\x00", 2), used, frame, error), ParseStatus::Error);  // fragmented ping
    EXPECT_EQ(error, "bad control frame");
    EXPECT_EQ(parse(std::string("\x89\x7e\x00\x80", 4), used, frame, error), ParseStatus::Error);  // 128-byte ping
    EXPECT_EQ(parse(std::string("\x82\x7e\x01\x00", 4), used, frame, error, 255), ParseStatus::Error);
    EXPECT_EQ(error, "frame of 256 bytes");
}

TEST(ServerFrames, FragmentsAreReportedAsSuch) {
    ServerFrame frame;
    std::size_t used = 0;
    std::string error;
    ASSERT_EQ(parse(std::string("\x01\x02hi", 4), used, frame, error), ParseStatus::Frame);
    EXPECT_FALSE(frame.fin);
    EXPECT_EQ(frame.opcode, Opcode::Text);
    ASSERT_EQ(parse(std::string("\x80\x01!", 3), used, frame, error), ParseStatus::Frame);
    EXPECT_TRUE(frame.fin);
    EXPECT_EQ(frame.opcode, Opcode::Continuation);
}

}  // namespace
}  // namespace chatd::bench
