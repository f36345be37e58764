#include "frames.h"

#include <cstring>

namespace chatd::bench {

void appendClientFrame(std::string& out, Opcode opcode, std::string_view payload, std::uint32_t mask_key) {
    const std::size_t size = payload.size();
    out.push_back(static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode)));
    if (size < 126) {
        out.push_back(static_cast<char>(0x80 | size));
    } else if (size <= 0xffff) {
        out.push_back(static_cast<char>(0x80 | 126));
        out.push_back(static_cast<char>(size >> 8));
        out.push_back(static_cast<char>(size & 0xff));
    } else {
        out.push_back(static_cast<char>(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((std::uint64_t(size) >> shift) & 0xff));
    }
    const char mask[4] = {static_cast<char>(mask_key >> 24), static_cast<char>(mask_key >> 16),
                          static_cast<char>(mask_key >> 8), static_cast<char>(mask_key)};
    out.append(mask, 4);
    const std::size_t start = out.size();
    out.append(payload);
    char* data = out.data() + start;
    for (std::size_t i = 0; i < size; ++i) data[i] ^= mask[i & 3];
}

ParseStatus parseServerFrame(std::string_view bytes, std::size_t max_payload, std::size_t& consumed,
                             ServerFrame& frame, std::string& error) {
    if (bytes.size() < 2) return ParseStatus::NeedMore;
    const auto b0 = static_cast<std::uint8_t>(bytes[0]);
    const auto b1 = static_cast<std::uint8_t>(bytes[1]);
    if (b0 & 0x70) {
        error = "reserved bits set";
        return ParseStatus::Error;
    }
    if (b1 & 0x80) {
        error = "masked server frame";
        return ParseStatus::Error;
    }
    const std::uint8_t op = b0 & 0x0f;
    const bool control = op >= 8;
    if (op != 0 && op != 1 && op != 2 && op != 8 && op != 9 && op != 10) {
        error = "unknown opcode " + std::to_string(op);
        return ParseStatus::Error;
    }
    const bool fin = b0 & 0x80;
    std::uint64_t length = b1 & 0x7f;
    std::size_t header = 2;
    if (control && (length > 125 || !fin)) {
        error = "bad control frame";
        return ParseStatus::Error;
    }
    if (length == 126) {
        if (bytes.size() < 4) return ParseStatus::NeedMore;
        length = std::uint64_t(static_cast<std::uint8_t>(bytes[2])) << 8 | static_cast<std::uint8_t>(bytes[3]);
        header = 4;
    } else if (length == 127) {
        if (bytes.size() < 10) return ParseStatus::NeedMore;
        length = 0;
        for (int i = 2; i < 10; ++i) length = length << 8 | static_cast<std::uint8_t>(bytes[i]);
        header = 10;
    }
    if (length > max_payload) {
        error = "frame of " + std::to_string(length) + " bytes";
        return ParseStatus::Error;
    }
    if (bytes.size() - header < length) return ParseStatus::NeedMore;
    frame.opcode = static_cast<Opcode>(op);
    frame.fin = fin;
    frame.payload = bytes.substr(header, static_cast<std::size_t>(length));
    consumed = header + static_cast<std::size_t>(length);
    return ParseStatus::Frame;
}

}  // namespace chatd::bench
