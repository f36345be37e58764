// Fuzz helper: feeds bytes to a ws::FrameDecoder in chunks of a given size,
// the way the IO loop does (append what arrived, decode until NeedMore, erase
// what was consumed), and collects owned copies of the events.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ws/frame_decoder.h"

namespace chatd::fuzz {

struct CollectedEvent {
    ws::DecodedEvent::Kind kind;
    std::string payload;
    std::uint16_t close_code = 0;
    std::string close_reason;

    bool operator==(const CollectedEvent&) const = default;
};

struct Collected {
    std::vector<CollectedEvent> events;
    std::optional<ws::DecodeError> error;
};

// chunk == 0 hands over all bytes at once.
inline Collected decodeInChunks(ws::FrameDecoder& decoder, const std::string& bytes, std::size_t chunk) {
    Collected result;
    std::string pending;
    const std::size_t step = chunk == 0 ? bytes.size() : chunk;
    std::size_t offered = 0;
    do {
        const std::size_t n = std::min(step, bytes.size() - offered);
        pending.append(bytes, offered, n);
        offered += n;
        for (;;) {
            std::size_t consumed = 0;
            ws::DecodedEvent event;
            ws::DecodeError error;
            const ws::DecodeStatus status = decoder.next(pending, consumed, event, error);
            if (status == ws::DecodeStatus::Error) {
                result.error = error;
                return result;
            }
            if (status == ws::DecodeStatus::Event) {
                result.events.push_back(
                    {event.kind, std::string(event.payload), event.close_code, std::string(event.close_reason)});
            }
            pending.erase(0, consumed);
            if (status == ws::DecodeStatus::NeedMore) break;
        }
    } while (offered < bytes.size());
    return result;
}

}  // namespace chatd::fuzz
