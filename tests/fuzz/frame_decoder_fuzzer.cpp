// libFuzzer target: the RFC 6455 frame decoder (ws/frame_decoder) and the
// UTF-8 validator it relies on (ws/utf8).
//
// Input: one flags byte, then the bytes a peer sends.
//   bit 0     role: 0 = server (decodes masked client frames), 1 = client
//   bits 1-2  max_message_bytes: 125, 1000, 65536, 1 MiB
//   bits 3-5  chunk size the bytes arrive in: all at once, 1, 2, 3, 5, 8, 13, 64
// Checks, besides the sanitizers:
//   - decoding in chunks gives exactly the events and error of decoding at once;
//   - every event obeys the rules (text is UTF-8, sizes, close codes), and a
//     failed decoder keeps failing without consuming anything;
//   - re-encoding the events with ws/frame_encoder and decoding them in the
//     other role gives the same events back;
//   - isValidUtf8 and the streaming Utf8Validator (fed in the same chunks)
//     agree with an independent reference decoder on the whole input.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "decode_collect.h"
#include "ws/frame_encoder.h"
#include "ws/utf8.h"

namespace {

using namespace chatd::ws;
using chatd::fuzz::Collected;
using chatd::fuzz::CollectedEvent;

constexpr std::array<std::size_t, 4> kMaxMessageBytes{125, 1000, 65536, 1 << 20};
constexpr std::array<std::size_t, 8> kChunkSizes{0, 1, 2, 3, 5, 8, 13, 64};

// RFC 3629 by arithmetic on decoded code points (not a byte-range table
// like ws/utf8.cpp), so the two can be compared.
bool referenceUtf8Valid(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto lead = static_cast<unsigned char>(s[i]);
        std::size_t length = 0;
        std::uint32_t cp = 0;
        if (lead < 0x80) {
            ++i;
            continue;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2;
            cp = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            cp = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            cp = lead & 0x07;
        } else {
            return false;
        }
        if (s.size() - i < length) return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < kSmallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += length;
    }
    return true;
}

void check(bool ok) {
    if (!ok) std::abort();
}

void checkUtf8(std::string_view bytes, std::size_t chunk) {
    const bool expected = referenceUtf8Valid(bytes);
    check(isValidUtf8(bytes) == expected);
    Utf8Validator streaming;
    bool fed_ok = true;
    const std::size_t step = chunk == 0 ? bytes.size() + 1 : chunk;
    for (std::size_t at = 0; at < bytes.size(); at += step) fed_ok = streaming.feed(bytes.substr(at, step)) && fed_ok;
    check((fed_ok && streaming.complete()) == expected);
}

// The rules every event must obey, whatever the input.
void checkEvent(const CollectedEvent& e, std::size_t max_message_bytes) {
    switch (e.kind) {
        case DecodedEvent::Kind::Text:
            check(isValidUtf8(e.payload));
            [[fallthrough]];
        case DecodedEvent::Kind::Binary:
            check(e.payload.size() <= max_message_bytes);
            break;
        case DecodedEvent::Kind::Ping:
        case DecodedEvent::Kind::Pong:
            check(e.payload.size() <= kMaxControlPayload);
            break;
        case DecodedEvent::Kind::Close:
            check(e.payload.size() <= kMaxControlPayload);
            if (e.payload.empty()) {
                check(e.close_code == close_code::NoStatus && e.close_reason.empty());
            } else {
                check(isValidCloseCodeOnWire(e.close_code));
                check(e.payload.size() == e.close_reason.size() + 2 && isValidUtf8(e.close_reason));
            }
            break;
    }
}

Opcode opcodeOf(DecodedEvent::Kind kind) {
    switch (kind) {
        case DecodedEvent::Kind::Text:
            return Opcode::Text;
        case DecodedEvent::Kind::Binary:
            return Opcode::Binary;
        case DecodedEvent::Kind::Ping:
            return Opcode::Ping;
        case DecodedEvent::Kind::Pong:
            return Opcode::Pong;
        case DecodedEvent::Kind::Close:
            break;
    }
    return Opcode::Close;
}

// Encodes the events as the other side would send them and decodes them in
// the opposite role: the same events must come back.
void checkRoundTrip(const Collected& decoded, Role role, std::size_t max_message_bytes) {
    std::string wire;
    for (const CollectedEvent& e : decoded.events) {
        if (role == Role::Server) {
            // We decoded a client's frames: send them back as the server would.
            if (e.kind == DecodedEvent::Kind::Close)
                wire += encodeCloseFrame(e.close_code, e.close_reason);
            else
                appendFrame(wire, opcodeOf(e.kind), e.payload);
        } else {
            appendClientFrame(wire, static_cast<std::uint8_t>(opcodeOf(e.kind)), e.payload);
        }
    }
    FrameDecoder other(role == Role::Server ? Role::Client : Role::Server, max_message_bytes);
    const Collected again = chatd::fuzz::decodeInChunks(other, wire, 0);
    check(!again.error && again.events == decoded.events);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const unsigned flags = data[0];
    const Role role = (flags & 1) != 0 ? Role::Client : Role::Server;
    const std::size_t max_message_bytes = kMaxMessageBytes[(flags >> 1) & 3];
    const std::size_t chunk = kChunkSizes[(flags >> 3) & 7];
    const std::string_view wire(reinterpret_cast<const char*>(data + 1), size - 1);

    checkUtf8(wire, chunk);

    FrameDecoder at_once(role, max_message_bytes);
    const Collected whole = chatd::fuzz::decodeInChunks(at_once, std::string(wire), 0);
    FrameDecoder chunked(role, max_message_bytes);
    const Collected pieces = chatd::fuzz::decodeInChunks(chunked, std::string(wire), chunk);
    check(whole.events == pieces.events);
    check(whole.error.has_value() == pieces.error.has_value());

    for (const CollectedEvent& e : whole.events) checkEvent(e, max_message_bytes);
    if (whole.error) {
        const std::uint16_t code = whole.error->close_code;
        check(code == close_code::ProtocolError || code == close_code::InvalidPayload || code == close_code::TooBig);
        check(pieces.error->close_code == code && pieces.error->reason == whole.error->reason);
        // A failed decoder stays failed and consumes nothing.
        std::string more(wire);
        std::size_t consumed = 1;
        DecodedEvent event;
        DecodeError error;
        check(at_once.next(more, consumed, event, error) == DecodeStatus::Error);
        check(consumed == 0 && error.close_code == code);
    }
    checkRoundTrip(whole, role, max_message_bytes);
    return 0;
}
