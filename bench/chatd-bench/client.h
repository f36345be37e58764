// Client: the state of one benchmark connection, owned and touched by one
// generator thread only.
#pragma once

#include <cstdint>
#include <string>

namespace chatd::bench {

struct Client {
    enum class State { Waiting, Connecting, Handshaking, Open, Closed };

    std::uint32_t index = 0;  // global client number; 0 is the warm-up sender
    std::int32_t sender = -1;  // sender number, or -1 for a listener
    State state = State::Waiting;
    int fd = -1;
    std::string key;  // Sec-WebSocket-Key while handshaking
    std::string in;   // received bytes not yet parsed (handshake, partial frame)
    std::string out;  // bytes not yet written
    std::size_t out_offset = 0;
    std::string fragments;  // a fragmented message being reassembled
    std::int64_t deadline_ns = 0;  // handshake deadline
    bool dirty = false;            // in the thread's flush list
    bool joined = false;
    bool warm = false;
    // Sender state.
    std::uint32_t next_seq = 0;
    std::uint32_t in_flight = 0;  // closed loop
};

}  // namespace chatd::bench
