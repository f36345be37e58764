// RFC 6455 frame encoding: unmasked server->client frames (the daemon), and
// masked client->server frames (test clients and the benchmark), where every
// header bit can be set so tests can also build invalid frames.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ws/opcode.h"

namespace chatd::ws {

// Largest payload of a control frame (ping, pong, close).
constexpr std::size_t kMaxControlPayload = 125;

// Server->client: appends one unmasked frame with FIN=1 to out.
void appendFrame(std::string& out, Opcode op, std::string_view payload);
std::string encodeFrame(Opcode op, std::string_view payload);

// A close frame with the code (big-endian) and the reason, truncated at a
// UTF-8 boundary so the payload fits in 125 bytes. A code that may not appear
// on the wire (e.g. NoStatus, Abnormal) yields a close frame with no payload.
std::string encodeCloseFrame(std::uint16_t code, std::string_view reason);
// `reason` cut to fit a close frame (123 bytes besides the code) at a UTF-8
// character boundary.
std::string fitCloseReason(std::string reason);

struct ClientFrameOptions {
    bool fin = true;
    std::uint8_t rsv = 0;  // the three RSV bits, 0-7 (RSV1 = 4)
    bool mask = true;
    std::uint32_t mask_key = 0x12345678;  // written big-endian on the wire
};

// Client->server: appends one frame (masked unless options.mask is false).
// The raw opcode overload accepts any nibble, including reserved ones.
void appendClientFrame(std::string& out, std::uint8_t opcode, std::string_view payload,
                       const ClientFrameOptions& options = {});
std::string encodeClientFrame(std::uint8_t opcode, std::string_view payload, const ClientFrameOptions& options = {});
std::string encodeClientFrame(Opcode op, std::string_view payload, const ClientFrameOptions& options = {});

}  // namespace chatd::ws
