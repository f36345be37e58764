// RFC 6455 frame encoding for both directions.
#include "ws/frame_encoder.h"

#include <cstring>

namespace chatd::ws {
namespace {

// Appends the first header byte, the length (7-bit, 16-bit or 64-bit form,
// always the shortest) with the mask bit, but not the mask key.
void appendHeader(std::string& out, unsigned char first_byte, bool mask, std::size_t size) {
    char header[10];
    std::size_t n = 0;
    const unsigned char mask_bit = mask ? 0x80 : 0x00;
    header[n++] = static_cast<char>(first_byte);
    if (size < 126) {
        header[n++] = static_cast<char>(mask_bit | size);
    } else if (size <= 0xFFFF) {
        header[n++] = static_cast<char>(mask_bit | 126);
        header[n++] = static_cast<char>(size >> 8);
        header[n++] = static_cast<char>(size);
    } else {
        header[n++] = static_cast<char>(mask_bit | 127);
        const auto size64 = static_cast<std::uint64_t>(size);
        for (int shift = 56; shift >= 0; shift -= 8) header[n++] = static_cast<char>(size64 >> shift);
    }
    out.append(header, n);
}

// Length of the longest prefix of text, at most limit bytes, that does not
// end inside a UTF-8 sequence.
std::size_t utf8PrefixLength(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return text.size();
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return cut;
}

}  // namespace

void appendFrame(std::string& out, Opcode op, std::string_view payload) {
    appendHeader(out, 0x80 | static_cast<unsigned char>(op), false, payload.size());
    out.append(payload);
}

std::string encodeFrame(Opcode op, std::string_view payload) {
    std::string out;
    out.reserve(payload.size() + 10);
    appendFrame(out, op, payload);
    return out;
}

std::string fitCloseReason(std::string reason) {
    constexpr std::size_t kMaxReason = kMaxControlPayload - 2;
    if (reason.size() <= kMaxReason) return reason;
    std::size_t cut = kMaxReason;
    while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0) == 0x80) --cut;
    reason.resize(cut);
    return reason;
}

std::string encodeCloseFrame(std::uint16_t code, std::string_view reason) {
    if (!isValidCloseCodeOnWire(code)) return encodeFrame(Opcode::Close, {});
    std::string payload;
    payload.reserve(kMaxControlPayload);
    payload.push_back(static_cast<char>(code >> 8));
    payload.push_back(static_cast<char>(code & 0xFF));
    payload.append(reason.substr(0, utf8PrefixLength(reason, kMaxControlPayload - 2)));
    return encodeFrame(Opcode::Close, payload);
}

void appendClientFrame(std::string& out, std::uint8_t opcode, std::string_view payload,
                       const ClientFrameOptions& options) {
    const auto first_byte =
        static_cast<unsigned char>((options.fin ? 0x80 : 0x00) | ((options.rsv & 0x07) << 4) | (opcode & 0x0F));
    appendHeader(out, first_byte, options.mask, payload.size());
    if (!options.mask) {
        out.append(payload);
        return;
    }
    const char key[4] = {static_cast<char>(options.mask_key >> 24), static_cast<char>(options.mask_key >> 16),
                         static_cast<char>(options.mask_key >> 8), static_cast<char>(options.mask_key)};
    out.append(key, 4);
    const std::size_t start = out.size();
    out.append(payload);
    for (std::size_t i = 0; i < payload.size(); ++i) {
        out[start + i] = static_cast<char>(out[start + i] ^ key[i % 4]);
    }
}

std::string encodeClientFrame(std::uint8_t opcode, std::string_view payload, const ClientFrameOptions& options) {
    std::string out;
    out.reserve(payload.size() + 14);
    appendClientFrame(out, opcode, payload, options);
    return out;
}

std::string encodeClientFrame(Opcode op, std::string_view payload, const ClientFrameOptions& options) {
    return encodeClientFrame(static_cast<std::uint8_t>(op), payload, options);
}

}  // namespace chatd::ws
