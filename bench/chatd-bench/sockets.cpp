#include "sockets.h"

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace chatd::bench {

std::uint64_t raiseOpenFileLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur;
}

unsigned usableCpuCount() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) != 0) return 1;
    const int count = CPU_COUNT(&set);
    return count > 0 ? static_cast<unsigned>(count) : 1;
}

std::optional<in_addr> parseIpv4(const std::string& text) {
    in_addr address{};
    if (::inet_pton(AF_INET, text.c_str(), &address) != 1) return std::nullopt;
    return address;
}

bool isLoopback(in_addr address) { return (ntohl(address.s_addr) >> 24) == 127; }

in_addr loopbackSource(std::uint32_t index, unsigned sources) {
    in_addr address{};
    address.s_addr = htonl((127u << 24) | (1 + index % (sources == 0 ? 1 : sources)));
    return address;
}

std::string errnoName(int error) {
    const char* name = ::strerrorname_np(error);
    return name ? name : "errno " + std::to_string(error);
}

ConnectStart startConnect(const sockaddr_in& target, std::optional<in_addr> source, int send_buffer_bytes) {
    ConnectStart start;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        start.failure = "socket: " + errnoName(errno);
        return start;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (send_buffer_bytes > 0) ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer_bytes, sizeof send_buffer_bytes);
    if (source) {
        ::setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        local.sin_addr = *source;
        if (::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
            start.failure = "bind: " + errnoName(errno);
            ::close(fd);
            return start;
        }
    }
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&target), sizeof target) == 0) {
        start.done = true;
    } else if (errno != EINPROGRESS) {
        start.failure = "connect: " + errnoName(errno);
        ::close(fd);
        return start;
    }
    start.fd = fd;
    return start;
}

std::string connectResult(int fd) {
    int error = 0;
    socklen_t size = sizeof error;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) return "connect: " + errnoName(errno);
    return error == 0 ? "" : "connect: " + errnoName(error);
}

}  // namespace chatd::bench
