// The little of RFC 6455 framing a load client needs: building masked
// client frames, and splitting the server's (unmasked) byte stream into frames.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chatd::bench {

enum class Opcode : std::uint8_t { Continuation = 0, Text = 1, Binary = 2, Close = 8, Ping = 9, Pong = 10 };

// Appends one final (FIN) client frame: masked with `mask_key`, as RFC 6455
// section 5.3 requires of every client frame.
void appendClientFrame(std::string& out, Opcode opcode, std::string_view payload, std::uint32_t mask_key);

struct ServerFrame {
    Opcode opcode = Opcode::Text;
    bool fin = true;
    std::string_view payload;  // a view into the parsed bytes
};

enum class ParseStatus { NeedMore, Frame, Error };

// Parses one server frame from the front of `bytes`. On Frame, `consumed` is
// the frame's full length. On Error, `error` says why (masked frame, reserved
// bits, unknown opcode, bad control frame, frame over `max_payload`).
ParseStatus parseServerFrame(std::string_view bytes, std::size_t max_payload, std::size_t& consumed,
                             ServerFrame& frame, std::string& error);

}  // namespace chatd::bench
