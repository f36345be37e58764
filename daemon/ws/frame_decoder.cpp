// RFC 6455 frame decoder: header parsing and checks, in-place unmasking,
// control-frame and close-payload validation, fragment reassembly.
#include "ws/frame_decoder.h"

#include <cstring>

namespace chatd::ws {
namespace {

// A reassembly buffer that grew beyond this is freed after delivery, so one
// big message does not pin memory on an idle connection.
constexpr std::size_t kKeepReassemblyCapacity = 64 * 1024;

bool isKnownOpcode(unsigned op) { return op <= 2 || (op >= 8 && op <= 10); }

std::uint64_t readBigEndian(const char* p, std::size_t n) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < n; ++i) value = (value << 8) | static_cast<unsigned char>(p[i]);
    return value;
}

// XORs the payload with the 4-byte key, 8 bytes at a time where possible.
void unmask(char* data, std::size_t size, const char* key) {
    char key8[8];
    std::memcpy(key8, key, 4);
    std::memcpy(key8 + 4, key, 4);
    std::uint64_t key64;
    std::memcpy(&key64, key8, 8);
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, data + i, 8);
        word ^= key64;
        std::memcpy(data + i, &word, 8);
    }
    for (; i < size; ++i) data[i] = static_cast<char>(data[i] ^ key[i % 4]);
}

DecodedEvent::Kind kindOf(Opcode opcode) {
    switch (opcode) {
        case Opcode::Binary:
            return DecodedEvent::Kind::Binary;
        case Opcode::Ping:
            return DecodedEvent::Kind::Ping;
        case Opcode::Pong:
            return DecodedEvent::Kind::Pong;
        case Opcode::Close:
            return DecodedEvent::Kind::Close;
        default:
            return DecodedEvent::Kind::Text;
    }
}

}  // namespace

FrameDecoder::FrameDecoder(Role role, std::size_t max_message_bytes)
    : role_(role), max_message_bytes_(max_message_bytes) {}

DecodeStatus FrameDecoder::next(std::span<char> buf, std::size_t& consumed, DecodedEvent& event, DecodeError& error) {
    consumed = 0;
    if (!failed_) releaseDeliveredMessage();
    while (!failed_) {
        const std::span<char> rest = buf.subspan(consumed);
        FrameHeader header;
        const HeaderStatus status = parseHeader(rest, header);
        if (status == HeaderStatus::Error) break;
        if (status == HeaderStatus::NeedMore) return DecodeStatus::NeedMore;
        // parseHeader capped payload_size at max_message_bytes_ (or 125), so it fits.
        const auto payload_size = static_cast<std::size_t>(header.payload_size);
        if (rest.size() - header.header_size < payload_size) return DecodeStatus::NeedMore;

        char* payload_data = rest.data() + header.header_size;
        if (header.masked) unmask(payload_data, payload_size, header.mask_key);
        consumed += header.header_size + payload_size;
        const std::string_view payload(payload_data, payload_size);

        DecodeStatus result;
        if (isControl(header.opcode)) {
            result = controlEvent(header, payload, event);
        } else if (header.fin && header.opcode != Opcode::Continuation) {
            result = unfragmentedEvent(header.opcode, payload, event);
        } else {
            result = absorbFragment(header, payload, event);
        }
        if (result == DecodeStatus::Event) return result;
        // NeedMore here means a fragment was absorbed: look for the next frame.
    }
    error = error_;
    return DecodeStatus::Error;
}

FrameDecoder::HeaderStatus FrameDecoder::parseHeader(std::span<const char> bytes, FrameHeader& header) {
    if (bytes.size() < 2) return HeaderStatus::NeedMore;
    const auto b0 = static_cast<unsigned char>(bytes[0]);
    const auto b1 = static_cast<unsigned char>(bytes[1]);
    if (!checkFirstTwoBytes(b0, b1)) return HeaderStatus::Error;
    header.fin = (b0 & 0x80) != 0;
    header.opcode = static_cast<Opcode>(b0 & 0x0F);
    header.masked = (b1 & 0x80) != 0;

    const unsigned length7 = b1 & 0x7F;
    const std::size_t extra = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    if (bytes.size() < 2 + extra) return HeaderStatus::NeedMore;
    header.payload_size = extra == 0 ? length7 : readBigEndian(bytes.data() + 2, extra);
    if ((header.payload_size >> 63) != 0) {
        fail(close_code::ProtocolError, "invalid frame length");
        return HeaderStatus::Error;
    }
    if (!isControl(header.opcode) && !checkMessageSize(header.payload_size)) {
        return HeaderStatus::Error;
    }

    header.header_size = 2 + extra + (header.masked ? 4 : 0);
    if (bytes.size() < header.header_size) return HeaderStatus::NeedMore;
    if (header.masked) header.mask_key = bytes.data() + 2 + extra;
    return HeaderStatus::Ok;
}

// Checks everything the first two header bytes decide: reserved bits, opcode,
// masking for our role, control-frame rules and fragmentation order.
bool FrameDecoder::checkFirstTwoBytes(unsigned char b0, unsigned char b1) {
    const bool fin = (b0 & 0x80) != 0;
    const unsigned opcode = b0 & 0x0F;
    const bool masked = (b1 & 0x80) != 0;
    const unsigned length7 = b1 & 0x7F;
    const char* problem = nullptr;
    if ((b0 & 0x70) != 0) {
        problem = "reserved bits set";
    } else if (!isKnownOpcode(opcode)) {
        problem = "unknown opcode";
    } else if (role_ == Role::Server && !masked) {
        problem = "unmasked client frame";
    } else if (role_ == Role::Client && masked) {
        problem = "masked server frame";
    } else if (isControl(static_cast<Opcode>(opcode))) {
        if (!fin)
            problem = "fragmented control frame";
        else if (length7 > 125)
            problem = "control frame too long";
    } else if (opcode == 0 && !in_message_) {
        problem = "continuation without a message";
    } else if (opcode != 0 && in_message_) {
        problem = "new message inside a fragmented one";
    }
    if (problem == nullptr) return true;
    fail(close_code::ProtocolError, problem);
    return false;
}

// Refuses a data frame that would take the message beyond the limit.
bool FrameDecoder::checkMessageSize(std::uint64_t payload_size) {
    const std::size_t so_far = in_message_ ? message_.size() : 0;
    if (payload_size > max_message_bytes_ || so_far > max_message_bytes_ - payload_size) {
        fail(close_code::TooBig, "message too big");
        return false;
    }
    return true;
}

DecodeStatus FrameDecoder::controlEvent(const FrameHeader& header, std::string_view payload, DecodedEvent& event) {
    event = DecodedEvent{};
    event.kind = kindOf(header.opcode);
    event.payload = payload;
    if (header.opcode != Opcode::Close) return DecodeStatus::Event;

    if (payload.empty()) {
        event.close_code = close_code::NoStatus;
        return DecodeStatus::Event;
    }
    if (payload.size() == 1) {
        fail(close_code::ProtocolError, "close payload of 1 byte");
        return DecodeStatus::Error;
    }
    event.close_code = static_cast<std::uint16_t>(readBigEndian(payload.data(), 2));
    event.close_reason = payload.substr(2);
    if (!isValidCloseCodeOnWire(event.close_code)) {
        fail(close_code::ProtocolError, "invalid close code");
        return DecodeStatus::Error;
    }
    if (!isValidUtf8(event.close_reason)) {
        fail(close_code::InvalidPayload, "invalid UTF-8 in close reason");
        return DecodeStatus::Error;
    }
    return DecodeStatus::Event;
}

DecodeStatus FrameDecoder::unfragmentedEvent(Opcode opcode, std::string_view payload, DecodedEvent& event) {
    if (opcode == Opcode::Text && !isValidUtf8(payload)) {
        fail(close_code::InvalidPayload, "invalid UTF-8 in text message");
        return DecodeStatus::Error;
    }
    event = DecodedEvent{};
    event.kind = kindOf(opcode);
    event.payload = payload;
    return DecodeStatus::Event;
}

DecodeStatus FrameDecoder::absorbFragment(const FrameHeader& header, std::string_view payload, DecodedEvent& event) {
    if (!in_message_) {
        in_message_ = true;
        message_opcode_ = header.opcode;
        message_.clear();
        message_utf8_.reset();
    }
    message_.append(payload);
    const bool text = message_opcode_ == Opcode::Text;
    if (text && !message_utf8_.feed(payload)) {
        fail(close_code::InvalidPayload, "invalid UTF-8 in text message");
        return DecodeStatus::Error;
    }
    if (!header.fin) return DecodeStatus::NeedMore;

    if (text && !message_utf8_.complete()) {
        fail(close_code::InvalidPayload, "truncated UTF-8 in text message");
        return DecodeStatus::Error;
    }
    in_message_ = false;
    delivered_ = true;
    event = DecodedEvent{};
    event.kind = kindOf(message_opcode_);
    event.payload = message_;
    return DecodeStatus::Event;
}

// Drops the message handed out by the previous call (its view is now stale).
void FrameDecoder::releaseDeliveredMessage() {
    if (!delivered_) return;
    delivered_ = false;
    if (message_.capacity() > kKeepReassemblyCapacity) {
        std::string().swap(message_);
    } else {
        message_.clear();
    }
}

void FrameDecoder::fail(std::uint16_t code, std::string_view reason) {
    failed_ = true;
    error_.close_code = code;
    error_.reason.assign(reason);
}

}  // namespace chatd::ws
