// Message stamps: round trip, sizes, and what is not a stamp.
#include "stamp.h"

#include <gtest/gtest.h>

namespace chatd::bench {
namespace {

TEST(Stamp, RoundTripsAtTheRequestedSize) {
    const Stamp in{0x0123456789abcdefll, 0xabcdef, 0xfedcba98};
    std::string text;
    for (std::size_t size : {32u, 64u, 1000u}) {
        writeStampedText(text, in, size);
        EXPECT_EQ(text.size(), size);
        Stamp out;
        ASSERT_EQ(parseText(text, out), TextKind::Stamped);
        EXPECT_EQ(out.intended_ns, in.intended_ns);
        EXPECT_EQ(out.sender, in.sender);
        EXPECT_EQ(out.seq, in.seq);
        for (char c : text) EXPECT_TRUE(c >= 0x21 && c < 0x7f && c != '"' && c != '\\') << "needs no escaping";
    }
    writeStampedText(text, in, 5);
    EXPECT_EQ(text.size(), kStampBytes) << "never shorter than the stamp";
}

TEST(Stamp, TellsWarmupAndForeignTextApart) {
    Stamp s;
    EXPECT_EQ(parseText(warmupText(64), s), TextKind::Warmup);
    EXPECT_EQ(warmupText(64).size(), 64u);
    EXPECT_EQ(parseText("hello", s), TextKind::Other);
    EXPECT_EQ(parseText("", s), TextKind::Other);
    std::string text;
    writeStampedText(text, Stamp{1, 2, 3}, 32);
    EXPECT_EQ(parseText(text.substr(0, 31), s), TextKind::Other);  // truncated
    std::string bad = text;
    bad[5] = 'G';
    EXPECT_EQ(parseText(bad, s), TextKind::Other);  // not hex
    bad = text;
    bad[31] = 'x';
    EXPECT_EQ(parseText(bad, s), TextKind::Other);  // no terminator
}

TEST(Stamp, JsonFramesAreClassifiedByTheirHead) {
    std::string_view text;
    EXPECT_EQ(classifyJsonFrame(R"({"type":"message","room":"lobby","text":"Babc","from":"x"})", text),
              JsonFrameKind::Message);
    EXPECT_EQ(text.substr(0, 4), "Babc");
    EXPECT_EQ(classifyJsonFrame(R"({"type":"welcome","history":[{"type":"message","text":"B"}]})", text),
              JsonFrameKind::Welcome);
    EXPECT_EQ(classifyJsonFrame(R"({"type":"presence","event":"join"})", text), JsonFrameKind::Presence);
    EXPECT_EQ(classifyJsonFrame(R"({"type":"presence","room":"r","event":"batch","joined":[]})", text),
              JsonFrameKind::Presence);
    EXPECT_EQ(classifyJsonFrame(R"({"type":"error","code":"nick_taken"})", text), JsonFrameKind::Error);
    EXPECT_EQ(classifyJsonFrame(R"({"type":"notice","text":"B"})", text), JsonFrameKind::Other);
    EXPECT_EQ(classifyJsonFrame(R"({"type":"message"})", text), JsonFrameKind::Other);
    std::string request;
    appendJsonMessage(request, "Bxyz");
    EXPECT_EQ(request, R"({"type":"message","text":"Bxyz"})");
}

}  // namespace
}  // namespace chatd::bench
