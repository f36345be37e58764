// RFC 6455 frame decoder for non-blocking sockets: parses frames out of the
// bytes received so far, enforces every protocol rule (masking, reserved bits,
// control-frame limits, fragmentation order, message size, UTF-8 of text and
// close reasons) and reassembles fragmented messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "ws/opcode.h"
#include "ws/utf8.h"

namespace chatd::ws {

// Server: decodes frames from a client (they must be masked).
// Client: decodes frames from a server (they must not be masked).
enum class Role { Server, Client };

struct DecodedEvent {
    enum class Kind { Text, Binary, Ping, Pong, Close } kind = Kind::Text;
    // A view into the caller's buffer (unfragmented frames, control frames) or
    // into the decoder's reassembly buffer; valid until the next call to next()
    // and until the caller erases the consumed bytes.
    std::string_view payload;
    // Close only: the code, or close_code::NoStatus when the payload was empty.
    std::uint16_t close_code = 0;
    std::string_view close_reason;
};

struct DecodeError {
    std::uint16_t close_code = 0;  // the code to close the connection with
    std::string reason;            // short, e.g. "unmasked client frame"
};

enum class DecodeStatus { NeedMore, Event, Error };

class FrameDecoder {
public:
    FrameDecoder(Role role, std::size_t max_message_bytes);

    // Limit for one message (the sum of its fragments), checked from the headers.
    void setMaxMessageBytes(std::size_t max_message_bytes) { max_message_bytes_ = max_message_bytes; }

    // Decodes at most one event from buf (bytes received and not yet consumed),
    // unmasking payloads in place. `consumed` is set to the number of bytes of
    // buf that were used; the caller erases them (after it is done with the
    // event). NeedMore means the rest of buf holds no complete event, although
    // bytes may still have been consumed (non-final fragments are absorbed into
    // the reassembly buffer). Once an Error was returned, every later call
    // returns the same error and consumes nothing.
    DecodeStatus next(std::span<char> buf, std::size_t& consumed, DecodedEvent& event, DecodeError& error);

private:
    struct FrameHeader {
        bool fin = false;
        Opcode opcode = Opcode::Continuation;
        std::size_t header_size = 0;
        std::uint64_t payload_size = 0;
        bool masked = false;
        const char* mask_key = nullptr;
    };
    enum class HeaderStatus { NeedMore, Ok, Error };

    HeaderStatus parseHeader(std::span<const char> bytes, FrameHeader& header);
    bool checkFirstTwoBytes(unsigned char b0, unsigned char b1);
    bool checkMessageSize(std::uint64_t payload_size);
    DecodeStatus controlEvent(const FrameHeader& header, std::string_view payload, DecodedEvent& event);
    DecodeStatus unfragmentedEvent(Opcode opcode, std::string_view payload, DecodedEvent& event);
    // Adds one fragment to the message being reassembled; returns Event when it
    // was the final one, NeedMore when more fragments are expected.
    DecodeStatus absorbFragment(const FrameHeader& header, std::string_view payload, DecodedEvent& event);
    void releaseDeliveredMessage();
    void fail(std::uint16_t code, std::string_view reason);

    Role role_;
    std::size_t max_message_bytes_;
    bool failed_ = false;
    DecodeError error_;

    // Fragmented message state.
    bool in_message_ = false;
    bool delivered_ = false;  // message_ was handed out by the last call
    Opcode message_opcode_ = Opcode::Text;
    std::string message_;
    Utf8Validator message_utf8_;
};

}  // namespace chatd::ws
