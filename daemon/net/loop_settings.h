// The live-reloadable settings an IO loop applies to its connections.
#pragma once

#include <chrono>
#include <cstddef>

namespace chatd::net {

struct LoopSettings {
    std::size_t max_message_bytes = 65'536;
    std::size_t send_queue_bytes = 1'048'576;
    std::chrono::milliseconds ping_interval{30'000};
    std::chrono::milliseconds ping_timeout{10'000};
    std::chrono::milliseconds close_timeout{2'000};  // how long a closing handshake may take
};

}  // namespace chatd::net
