#include "stamp.h"

namespace chatd::bench {

namespace {
constexpr char kHex[] = "0123456789abcdef";

void writeHex(char* out, std::uint64_t value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value >>= 4) out[i] = kHex[value & 15];
}

// Parses exactly `digits` lowercase hex digits; false on any other character.
bool readHex(const char* in, int digits, std::uint64_t& value) {
    value = 0;
    for (int i = 0; i < digits; ++i) {
        const char c = in[i];
        unsigned nibble;
        if (c >= '0' && c <= '9') nibble = unsigned(c - '0');
        else if (c >= 'a' && c <= 'f') nibble = unsigned(c - 'a' + 10);
        else return false;
        value = value << 4 | nibble;
    }
    return true;
}
}  // namespace

void writeStampedText(std::string& out, const Stamp& stamp, std::size_t size) {
    out.assign(size < kStampBytes ? kStampBytes : size, 'x');
    out[0] = 'B';
    writeHex(out.data() + 1, static_cast<std::uint64_t>(stamp.intended_ns), 16);
    writeHex(out.data() + 17, stamp.sender, 6);
    writeHex(out.data() + 23, stamp.seq, 8);
    out[31] = '.';
}

std::string warmupText(std::size_t size) {
    std::string out(size < kStampBytes ? kStampBytes : size, 'x');
    out[0] = 'W';
    return out;
}

TextKind parseText(std::string_view text, Stamp& stamp) {
    if (text.empty()) return TextKind::Other;
    if (text[0] == 'W') return TextKind::Warmup;
    if (text[0] != 'B' || text.size() < kStampBytes || text[31] != '.') return TextKind::Other;
    std::uint64_t intended, sender, seq;
    if (!readHex(text.data() + 1, 16, intended) || !readHex(text.data() + 17, 6, sender) ||
        !readHex(text.data() + 23, 8, seq))
        return TextKind::Other;
    stamp.intended_ns = static_cast<std::int64_t>(intended);
    stamp.sender = static_cast<std::uint32_t>(sender);
    stamp.seq = static_cast<std::uint32_t>(seq);
    return TextKind::Stamped;
}

JsonFrameKind classifyJsonFrame(std::string_view frame, std::string_view& text) {
    constexpr std::string_view kMessage = R"("type":"message")";
    constexpr std::string_view kWelcome = R"("type":"welcome")";
    constexpr std::string_view kText = R"("text":")";
    // chatd writes "type" first; a welcome's history holds messages too, so
    // only the head of the frame decides.
    const std::string_view head = frame.substr(0, 32);
    if (head.find(kWelcome) != std::string_view::npos) return JsonFrameKind::Welcome;
    if (head.find(R"("type":"presence")") != std::string_view::npos) return JsonFrameKind::Presence;
    if (head.find(R"("type":"error")") != std::string_view::npos) return JsonFrameKind::Error;
    if (head.find(kMessage) != std::string_view::npos) {
        const auto at = frame.find(kText);
        if (at == std::string_view::npos) return JsonFrameKind::Other;
        text = frame.substr(at + kText.size());
        return JsonFrameKind::Message;
    }
    return JsonFrameKind::Other;
}

void appendJsonMessage(std::string& out, std::string_view text) {
    out.append(R"({"type":"message","text":")").append(text).append("\"}");
}

}  // namespace chatd::bench
