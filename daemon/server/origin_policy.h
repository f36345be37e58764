// The Origin check made before a WebSocket upgrade (docs/protocol.md, Connecting).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chatd::server {

// True when a browser page from `origin` may open a WebSocket on a request
// whose Host header is `host`. `allowed` is websocket.allowed_origins: "*"
// allows any origin, other entries match exactly (case-insensitive, default
// ports ignored); an empty list allows same-host origins only.
bool isOriginAllowed(std::string_view origin, std::string_view host, const std::vector<std::string>& allowed);

}  // namespace chatd::server
