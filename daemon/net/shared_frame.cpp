#include "net/shared_frame.h"

#include "ws/frame_encoder.h"

namespace chatd::net {

SharedFrame makeFrame(ws::Opcode opcode, std::string_view payload) {
    auto frame = std::make_shared<std::string>();
    frame->reserve(payload.size() + 10);
    ws::appendFrame(*frame, opcode, payload);
    return frame;
}

std::string_view framePayload(const std::string& frame) {
    if (frame.size() < 2) return {};
    const unsigned length7 = static_cast<unsigned char>(frame[1]) & 0x7f;
    const std::size_t header = length7 == 126 ? 4 : length7 == 127 ? 10 : 2;
    return std::string_view(frame).substr(header);
}

}  // namespace chatd::net
