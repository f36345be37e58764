// Test helpers: feed bytes to a FrameDecoder (all at once or one byte at a
// time, the way a socket loop would) and collect owned copies of the events.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ws/frame_decoder.h"

namespace chatd::ws::test {

struct CollectedEvent {
    DecodedEvent::Kind kind;
    std::string payload{};
    std::uint16_t close_code = 0;
    std::string close_reason{};

    bool operator==(const CollectedEvent&) const = default;
};

struct Collected {
    std::vector<CollectedEvent> events;
    std::optional<DecodeError> error;
    std::string leftover;  // bytes not consumed when decoding stopped
};

// Runs next() over `pending` until it needs more or fails, erasing consumed
// bytes the way the IO loop does; appends events/error to result.
inline void drain(FrameDecoder& decoder, std::string& pending, Collected& result) {
    while (!result.error) {
        std::size_t consumed = 0;
        DecodedEvent event;
        DecodeError error;
        const DecodeStatus status = decoder.next(pending, consumed, event, error);
        if (status == DecodeStatus::Event) {
            result.events.push_back(
                {event.kind, std::string(event.payload), event.close_code, std::string(event.close_reason)});
        } else if (status == DecodeStatus::Error) {
            result.error = error;
        }
        pending.erase(0, consumed);
        if (status == DecodeStatus::NeedMore) return;
    }
}

inline Collected decodeAll(FrameDecoder& decoder, std::string bytes) {
    Collected result;
    drain(decoder, bytes, result);
    result.leftover = bytes;
    return result;
}

inline Collected decodeByteByByte(FrameDecoder& decoder, const std::string& bytes) {
    Collected result;
    std::string pending;
    for (char c : bytes) {
        pending.push_back(c);
        drain(decoder, pending, result);
        if (result.error) break;
    }
    result.leftover = pending;
    return result;
}

}  // namespace chatd::ws::test
