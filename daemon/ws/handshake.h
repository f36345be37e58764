// Helpers for the HTTP side of the WebSocket opening handshake (RFC 6455
// section 4): the Sec-WebSocket-Accept value and header token lists.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chatd::ws {

// The GUID RFC 6455 appends to the client's key before hashing.
constexpr std::string_view kHandshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

// base64(SHA-1(key + GUID)): the value of Sec-WebSocket-Accept.
std::string computeAcceptKey(std::string_view sec_websocket_key);

// Whether Sec-WebSocket-Key is base64 of exactly 16 bytes: 22 base64
// characters followed by "==" (24 in all).
bool isValidClientKey(std::string_view key);

// Splits a comma-separated header value ("a, b ,c" -> {a, b, c}), trimming
// spaces and tabs and dropping empty items.
std::vector<std::string> splitTokenList(std::string_view header);

// Whether the comma-separated header value holds the token, ignoring ASCII
// case (e.g. "keep-alive, Upgrade" holds "upgrade").
bool headerHasToken(std::string_view header, std::string_view token);

}  // namespace chatd::ws
