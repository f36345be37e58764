// The payload of a benchmark message. Each one carries its *intended* send
// time (so a server or generator that falls behind shows up as latency, not
// as fewer samples: no coordinated omission), its sender and sequence number:
//     B<16 hex: intended ns, CLOCK_MONOTONIC><6 hex: sender><8 hex: seq>. padded with 'x'
// Warm-up messages (the join barrier) are "W" padded with 'x'.
// Printable ASCII only: it is valid UTF-8 and needs no JSON escaping.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace chatd::bench {

constexpr std::size_t kStampBytes = 32;

struct Stamp {
    std::int64_t intended_ns = 0;
    std::uint32_t sender = 0;  // < 2^24
    std::uint32_t seq = 0;
};

// Writes the stamped text of `size` bytes (size >= kStampBytes) into `out`.
void writeStampedText(std::string& out, const Stamp& stamp, std::size_t size);
std::string warmupText(std::size_t size);

enum class TextKind { Stamped, Warmup, Other };
TextKind parseText(std::string_view text, Stamp& stamp);

// JSON mode: a chatd.v1 frame the server sent. For a "message" the text's
// start is returned through `text` (the stamp has no escapes, so the raw
// bytes after "text":" are the text).
enum class JsonFrameKind { Message, Welcome, Presence, Error, Other };
JsonFrameKind classifyJsonFrame(std::string_view frame, std::string_view& text);

// The chatd.v1 request that posts `text` (which needs no escaping).
void appendJsonMessage(std::string& out, std::string_view text);

}  // namespace chatd::bench
