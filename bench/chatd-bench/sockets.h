// Socket plumbing for the generator: the open-file limit, the CPUs it may
// use, and non-blocking connects from a chosen loopback source address
// (127.0.0.x, bound before connect with IP_BIND_ADDRESS_NO_PORT so the kernel
// picks the port per 4-tuple: ~28k connections per source address, not per target).
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <string>

namespace chatd::bench {

// Raises the RLIMIT_NOFILE soft limit to the hard limit; returns the new soft limit.
std::uint64_t raiseOpenFileLimit();

// CPUs this process may run on (its affinity mask, e.g. under taskset).
unsigned usableCpuCount();

// Parses a dotted IPv4 address; nullopt when it is not one.
std::optional<in_addr> parseIpv4(const std::string& text);
bool isLoopback(in_addr address);

// The source address of connection `index` when spreading over `sources`
// loopback addresses: 127.0.0.1, 127.0.0.2, ... 127.0.0.<sources>.
in_addr loopbackSource(std::uint32_t index, unsigned sources);

struct ConnectStart {
    int fd = -1;         // >= 0: connecting (or connected) non-blocking socket
    bool done = false;   // the connect completed at once
    std::string failure;  // fd < 0: "socket: EMFILE", "bind: EADDRINUSE", "connect: ECONNREFUSED", ...
};

// Opens a non-blocking TCP socket (TCP_NODELAY), binds it to `source` if
// given, and starts connecting to `target`. A send_buffer_bytes above 0 fixes
// the socket's send buffer (SO_SNDBUF, no autotuning) at that size.
ConnectStart startConnect(const sockaddr_in& target, std::optional<in_addr> source, int send_buffer_bytes = 0);

// The pending error of a connecting socket (SO_ERROR); "" when it connected.
std::string connectResult(int fd);

// "ECONNREFUSED" for ECONNREFUSED, ...
std::string errnoName(int error);

}  // namespace chatd::bench
