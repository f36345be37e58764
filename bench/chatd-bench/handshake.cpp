#include "handshake.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "sha1.h"

namespace chatd::bench {

namespace {
constexpr std::size_t kMaxResponseHeader = 16 * 1024;

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// The value of header `name` in `headers` (lines after the status line), if present.
std::optional<std::string_view> headerValue(std::string_view headers, std::string_view name) {
    while (!headers.empty()) {
        const auto end = headers.find("\r\n");
        const std::string_view line = headers.substr(0, end);
        headers = end == std::string_view::npos ? std::string_view() : headers.substr(end + 2);
        const auto colon = line.find(':');
        if (colon != std::string_view::npos && equalsIgnoreCase(trim(line.substr(0, colon)), name))
            return trim(line.substr(colon + 1));
    }
    return std::nullopt;
}

UpgradeResponse refused(std::string failure) {
    UpgradeResponse response;
    response.status = UpgradeResponse::Status::Refused;
    response.failure = std::move(failure);
    return response;
}
}  // namespace

std::string makeWebSocketKey(std::uint64_t random_a, std::uint64_t random_b) {
    std::uint8_t bytes[16];
    for (int i = 0; i < 8; ++i) {
        bytes[i] = std::uint8_t(random_a >> (8 * i));
        bytes[8 + i] = std::uint8_t(random_b >> (8 * i));
    }
    return base64(bytes, sizeof bytes);
}

std::string buildUpgradeRequest(std::string_view host, std::uint16_t port, std::string_view path,
                                std::string_view key, Protocol protocol) {
    std::string request;
    request.reserve(256);
    request.append("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(host);
    request.append(":").append(std::to_string(port));
    request.append(
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ");
    request.append(key).append("\r\n");
    if (protocol == Protocol::Json) request.append("Sec-WebSocket-Protocol: chatd.v1\r\n");
    request.append("\r\n");
    return request;
}

UpgradeResponse parseUpgradeResponse(std::string_view received, std::string_view key, Protocol protocol) {
    const auto end = received.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        if (received.size() > kMaxResponseHeader) return refused("response header too large");
        return {};
    }
    const std::string_view head = received.substr(0, end + 2);
    const auto line_end = head.find("\r\n");
    const std::string_view status_line = head.substr(0, line_end);
    const std::string_view headers = head.substr(line_end + 2);
    if (status_line.rfind("HTTP/1.1 ", 0) != 0 || status_line.size() < 12) return refused("malformed status line");
    const std::string_view code = status_line.substr(9, 3);
    if (code != "101") return refused("http " + std::string(code));
    const auto upgrade = headerValue(headers, "Upgrade");
    if (!upgrade || !equalsIgnoreCase(*upgrade, "websocket")) return refused("no Upgrade: websocket");
    const auto accept = headerValue(headers, "Sec-WebSocket-Accept");
    if (!accept || *accept != expectedAccept(key)) return refused("bad accept key");
    const auto chosen = headerValue(headers, "Sec-WebSocket-Protocol");
    if (protocol == Protocol::Json && (!chosen || *chosen != "chatd.v1")) return refused("chatd.v1 not chosen");
    if (protocol == Protocol::Raw && chosen) return refused("unrequested sub-protocol");
    UpgradeResponse response;
    response.status = UpgradeResponse::Status::Accepted;
    response.header_bytes = end + 4;
    return response;
}

}  // namespace chatd::bench
