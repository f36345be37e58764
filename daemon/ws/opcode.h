// WebSocket opcodes and close codes (RFC 6455 sections 5.2 and 7.4), shared by
// the frame decoder, the frame encoder and every session that closes a socket.
#pragma once

#include <cstdint>

namespace chatd::ws {

enum class Opcode : std::uint8_t {
    Continuation = 0,
    Text = 1,
    Binary = 2,
    Close = 8,
    Ping = 9,
    Pong = 10,
};

// True for Close, Ping and Pong (opcodes with the high bit of the nibble set).
constexpr bool isControl(Opcode op) { return (static_cast<std::uint8_t>(op) & 0x08) != 0; }

namespace close_code {
constexpr std::uint16_t Normal = 1000;
constexpr std::uint16_t GoingAway = 1001;
constexpr std::uint16_t ProtocolError = 1002;
constexpr std::uint16_t Unsupported = 1003;
constexpr std::uint16_t NoStatus = 1005;  // never on the wire: "close frame had no code"
constexpr std::uint16_t Abnormal = 1006;  // never on the wire: "connection dropped"
constexpr std::uint16_t InvalidPayload = 1007;
constexpr std::uint16_t PolicyViolation = 1008;
constexpr std::uint16_t TooBig = 1009;
constexpr std::uint16_t InternalError = 1011;
}  // namespace close_code

// Whether a peer may put this code in a close frame: 1000-1003, 1007-1014
// (the IANA-registered ones) and 3000-4999 (libraries and applications).
// 1004, 1005, 1006 and 1015 are reserved and never sent.
constexpr bool isValidCloseCodeOnWire(std::uint16_t code) {
    if (code >= 1000 && code <= 1003) return true;
    if (code >= 1007 && code <= 1014) return true;
    return code >= 3000 && code <= 4999;
}

}  // namespace chatd::ws
