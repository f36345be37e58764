// SHA-1 and base64, just enough to build and check the WebSocket handshake's
// Sec-WebSocket-Key / Sec-WebSocket-Accept pair (RFC 6455 section 4) without
// linking the daemon or a crypto library.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace chatd::bench {

std::array<std::uint8_t, 20> sha1(std::string_view data);

std::string base64(const std::uint8_t* data, std::size_t size);

// base64(SHA-1(key + the RFC 6455 GUID)): what the server must answer.
std::string expectedAccept(std::string_view key);

}  // namespace chatd::bench
