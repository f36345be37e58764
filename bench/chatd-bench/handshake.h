// The client side of the WebSocket opening handshake (RFC 6455 section 4.1):
// the upgrade request, and checking the server's answer (101, the accept key,
// the sub-protocol).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "options.h"

namespace chatd::bench {

// A Sec-WebSocket-Key: base64 of 16 bytes made from two random words.
std::string makeWebSocketKey(std::uint64_t random_a, std::uint64_t random_b);

// The GET request; JSON mode offers the chatd.v1 sub-protocol, raw mode none.
std::string buildUpgradeRequest(std::string_view host, std::uint16_t port, std::string_view path,
                                std::string_view key, Protocol protocol);

struct UpgradeResponse {
    enum class Status { NeedMore, Accepted, Refused } status = Status::NeedMore;
    std::size_t header_bytes = 0;  // Accepted: bytes after these are WebSocket frames
    std::string failure;           // Refused: a short cause ("http 403", "bad accept key", ...)
};

// Looks at the bytes received so far.
UpgradeResponse parseUpgradeResponse(std::string_view received, std::string_view key, Protocol protocol);

}  // namespace chatd::bench
