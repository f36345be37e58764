// Client: the state of one benchmark connection, owned and touched by one
// generator thread only.
#pragma once

#include <cstdint>
#include <string>

namespace chatd::bench {

struct Client {
    // Closing: a churner sent its close frame and waits for the server's.
    enum class State { Waiting, Connecting, Handshaking, Open, Closing, Closed };
    // Members are measured; churners (bigroom) come and go; flooders (bigroom)
    // flood rooms of their own.
    enum class Role { Member, Churner, Flooder };

    std::uint32_t index = 0;  // global client number; 0 is the warm-up sender
    Role role = Role::Member;
    std::int32_t sender = -1;  // sender number (members, flooders), or -1 for a listener
    std::uint32_t generation = 0;  // connections this client opened before (churners)
    std::int64_t join_sent_ns = 0;  // JSON: when the pending join went out
    State state = State::Waiting;
    int fd = -1;
    std::string key;  // Sec-WebSocket-Key while handshaking
    std::string in;   // received bytes not yet parsed (handshake, partial frame)
    std::string out;  // bytes not yet written
    std::size_t out_offset = 0;
    std::string fragments;  // a fragmented message being reassembled
    std::int64_t deadline_ns = 0;  // handshake or closing deadline
    bool dirty = false;            // in the thread's flush list
    bool joined = false;  // JSON: welcome received on this connection
    bool warm = false;
    // Sender state.
    std::uint32_t next_seq = 0;
    std::uint32_t in_flight = 0;  // closed loop
};

}  // namespace chatd::bench
