// SharedFrame: one encoded WebSocket frame, shared read-only by every
// recipient's outbound queue (a broadcast is encoded once, never per client).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ws/opcode.h"

namespace chatd::net {

using SharedFrame = std::shared_ptr<const std::string>;

// Encodes a server->client frame (FIN set, unmasked) into a new shared buffer.
SharedFrame makeFrame(ws::Opcode opcode, std::string_view payload);

// The payload of a frame made by makeFrame (skips the 2/4/10-byte header).
std::string_view framePayload(const std::string& frame);

}  // namespace chatd::net
