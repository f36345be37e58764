#include "ws_client.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "json/json_reader.h"

namespace chatd::testing {

namespace {

using Clock = std::chrono::steady_clock;

// Binds `fd` to `address` (an IPv4 literal, any port) before it connects.
void bindTo(int fd, const std::string& address) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    if (::inet_pton(AF_INET, address.c_str(), &local.sin_addr) != 1)
        throw std::runtime_error("not an IPv4 address: " + address);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0)
        throw std::runtime_error("bind to " + address + ": " + std::strerror(errno));
}

util::UniqueFd connectTcp(const std::string& host, std::uint16_t port, int receive_buffer,
                          const std::string& bind_address) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* result = nullptr;
    if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &result) != 0)
        throw std::runtime_error("cannot resolve " + host);
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(result, freeaddrinfo);
    util::UniqueFd fd(::socket(result->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    if (receive_buffer > 0) ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    if (!bind_address.empty()) bindTo(fd.get(), bind_address);
    if (::connect(fd.get(), result->ai_addr, result->ai_addrlen) != 0)
        throw std::runtime_error("connect to " + host + ":" + std::to_string(port) + ": " + std::strerror(errno));
    return fd;
}

void writeAll(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(std::string("send: ") + std::strerror(errno));
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

WsClient::WsClient(util::UniqueFd fd, std::string leftover, std::string head)
    : fd_(std::move(fd)),
      buffer_(std::move(leftover)),
      head_(std::move(head)),
      decoder_(ws::Role::Client, 64 * 1024 * 1024) {}

WsClient::Handshake WsClient::handshake(std::uint16_t port, const WsOptions& options) {
    util::UniqueFd fd = connectTcp(options.host, port, options.receive_buffer, options.bind_address);
    const std::string host = options.host_header.value_or(options.host + ":" + std::to_string(port));
    std::string request = "GET " + options.path + " HTTP/1.1\r\n" + (host.empty() ? "" : "Host: " + host + "\r\n") +
                          "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: " +
                          options.version + "\r\n";
    if (options.protocol) request += "Sec-WebSocket-Protocol: " + *options.protocol + "\r\n";
    if (options.origin) request += "Origin: " + *options.origin + "\r\n";
    for (const auto& [name, value] : options.headers) request += name + ": " + value + "\r\n";
    request += "\r\n";
    writeAll(fd.get(), request + options.early_bytes);

    std::string received;
    const auto deadline = Clock::now() + 5s;
    std::size_t end;
    while ((end = received.find("\r\n\r\n")) == std::string::npos) {
        pollfd pfd{fd.get(), POLLIN, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0 || ::poll(&pfd, 1, static_cast<int>(left)) <= 0) throw std::runtime_error("handshake timed out");
        char chunk[4096];
        const ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
        if (n <= 0) throw std::runtime_error("connection closed during handshake: " + received);
        received.append(chunk, static_cast<std::size_t>(n));
    }
    Handshake result;
    result.head = received.substr(0, end + 4);
    result.status = std::atoi(result.head.c_str() + result.head.find(' ') + 1);
    if (result.status == 101)
        result.client = std::make_unique<WsClient>(std::move(fd), received.substr(end + 4), result.head);
    return result;
}

std::unique_ptr<WsClient> WsClient::connect(std::uint16_t port, const WsOptions& options) {
    Handshake result = handshake(port, options);
    if (result.status != 101) throw std::runtime_error("upgrade refused: " + result.head);
    return std::move(result.client);
}

void WsClient::sendText(std::string_view text) { sendBytes(ws::encodeClientFrame(ws::Opcode::Text, text)); }

void WsClient::sendBinary(std::string_view data) { sendBytes(ws::encodeClientFrame(ws::Opcode::Binary, data)); }

void WsClient::sendFrame(std::uint8_t opcode, std::string_view payload, const ws::ClientFrameOptions& options) {
    sendBytes(ws::encodeClientFrame(opcode, payload, options));
}

void WsClient::sendBytes(std::string_view bytes) { writeAll(fd_.get(), bytes); }

void WsClient::sendClose(std::uint16_t code) {
    std::string payload{static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
    sendBytes(ws::encodeClientFrame(ws::Opcode::Close, payload));
}

// Reads more bytes into buffer_; false on timeout or EOF.
bool WsClient::fill(Clock::time_point deadline) {
    if (eof_) return false;
    pollfd pfd{fd_.get(), POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0 || ::poll(&pfd, 1, static_cast<int>(left)) <= 0) return false;
    char chunk[65536];
    const ssize_t n = ::read(fd_.get(), chunk, sizeof chunk);
    if (n <= 0) {
        eof_ = true;
        return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
}

std::optional<Frame> WsClient::receive(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        std::size_t consumed = 0;
        ws::DecodedEvent event;
        ws::DecodeError error;
        const auto status = decoder_.next(std::span<char>(buffer_.data(), buffer_.size()), consumed, event, error);
        if (status == ws::DecodeStatus::Error) throw std::runtime_error("server sent a bad frame: " + error.reason);
        if (status == ws::DecodeStatus::Event) {
            Frame frame;
            frame.payload.assign(event.payload);
            using Kind = ws::DecodedEvent::Kind;
            switch (event.kind) {
                case Kind::Text:
                    frame.opcode = ws::Opcode::Text;
                    break;
                case Kind::Binary:
                    frame.opcode = ws::Opcode::Binary;
                    break;
                case Kind::Ping:
                    frame.opcode = ws::Opcode::Ping;
                    break;
                case Kind::Pong:
                    frame.opcode = ws::Opcode::Pong;
                    break;
                case Kind::Close:
                    frame.opcode = ws::Opcode::Close;
                    frame.close_code = event.close_code;
                    frame.close_reason.assign(event.close_reason);
                    break;
            }
            buffer_.erase(0, consumed);
            if (frame.opcode == ws::Opcode::Ping) {
                sendBytes(ws::encodeClientFrame(ws::Opcode::Pong, frame.payload));
                continue;
            }
            return frame;
        }
        buffer_.erase(0, consumed);
        if (!fill(deadline)) return std::nullopt;
    }
}

json::Value WsClient::receiveJson(std::chrono::milliseconds timeout) {
    auto frame = receive(timeout);
    if (!frame) throw std::runtime_error("no frame within timeout");
    if (frame->opcode != ws::Opcode::Text)
        throw std::runtime_error("expected a text frame, got opcode " + std::to_string(int(frame->opcode)) +
                                 " (close code " + std::to_string(frame->close_code) + ")");
    std::string error;
    auto value = json::parse(frame->payload, error);
    if (!value) throw std::runtime_error("not JSON: " + error + ": " + frame->payload);
    return std::move(*value);
}

json::Value WsClient::waitFor(std::string_view type, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) throw std::runtime_error("no '" + std::string(type) + "' within timeout");
        json::Value value = receiveJson(left);
        if (str(value, "type") == type) return value;
    }
}

json::Value WsClient::waitForPresence(std::string_view event, std::string_view nick,
                                      std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        json::Value presence = waitFor("presence", std::max(left, std::chrono::milliseconds(1)));
        if (str(presence, "event") == event && str(presence, "nick") == nick) return presence;
    }
}

std::optional<std::uint16_t> WsClient::waitClosed(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return std::nullopt;
        std::optional<Frame> frame;
        try {
            frame = receive(left);
        } catch (const std::exception&) {
            return std::nullopt;
        }
        if (!frame) return eof_ ? std::optional<std::uint16_t>(1006) : std::nullopt;
        if (frame->opcode == ws::Opcode::Close) return frame->close_code;
    }
}

std::string str(const json::Value& object, std::string_view field) {
    const json::Value* value = object.find(field);
    const std::string* text = value ? value->asString() : nullptr;
    return text ? *text : std::string();
}

std::uint64_t uint(const json::Value& object, std::string_view field) {
    const json::Value* value = object.find(field);
    auto number = value ? value->asUint() : std::nullopt;
    if (!number) throw std::runtime_error("field '" + std::string(field) + "' is not an unsigned integer");
    return *number;
}

std::unique_ptr<WsClient> joinedClient(std::uint16_t port, const std::string& nick, const std::string& room,
                                       const WsOptions& options, json::Value* welcome) {
    auto client = WsClient::connect(port, options);
    client->sendText(R"({"type":"join","room":")" + room + R"(","nick":")" + nick + R"("})");
    json::Value value = client->waitFor("welcome");
    if (welcome) *welcome = std::move(value);
    return client;
}

}  // namespace chatd::testing
