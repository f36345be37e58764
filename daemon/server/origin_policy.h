// The Origin check made before a WebSocket upgrade (docs/protocol.md, Connecting).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chatd::server {

enum class OriginVerdict {
    Allowed,
    NotListed,       // allowed_origins is set and does not list it
    OtherHost,       // default rule: the page's host:port is not the Host header's
    NameNotListed,   // default rule: same host, but a DNS name (rebinding), not listed
    NoHost,          // default rule: no Host header to compare with
};

// Whether a browser page from `origin` may open a WebSocket on a request
// whose Host header is `host` ("" when it has none). `allowed` is
// websocket.allowed_origins: "*" allows any origin, other entries match
// exactly (case-insensitive, default ports ignored).
//
// The empty list (the default) allows a page served by chatd itself — its
// host:port equals the Host header — only when that host is an IP literal
// ("192.0.2.7", "[::1]"), "localhost" or a name under ".localhost". A page
// under any other DNS name could be an attacker's whose name was re-pointed
// at this server (DNS rebinding: the browser then sends Origin and Host both
// naming the attacker); a deployment under a name lists its origin.
OriginVerdict checkOrigin(std::string_view origin, std::string_view host, const std::vector<std::string>& allowed);

// The refusal's text for the 403 answer and the log ("" for Allowed).
std::string_view originRefusalReason(OriginVerdict verdict);

}  // namespace chatd::server
