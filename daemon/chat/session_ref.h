// SessionRef: how the hub names a session. The id carries the index of the
// IO loop that owns the session in its low byte, so any thread can route a
// frame to it without a shared registry.
#pragma once

#include <cstdint>

namespace chatd::chat {

enum class Mode : std::uint8_t { Raw, Json };

constexpr unsigned kLoopIndexBits = 8;  // up to 256 IO loops

inline std::uint64_t makeSessionId(std::uint64_t serial, unsigned loop_index) {
    return (serial << kLoopIndexBits) | loop_index;
}
inline unsigned loopIndexOf(std::uint64_t session_id) {
    return static_cast<unsigned>(session_id & ((1u << kLoopIndexBits) - 1));
}

struct SessionRef {
    std::uint64_t id = 0;
    Mode mode = Mode::Json;
};

}  // namespace chatd::chat
