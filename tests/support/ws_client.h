// WsClient: a blocking WebSocket client for tests, over a plain TCP socket so
// that tests can also send what no polite client would (unmasked frames, bad
// opcodes, half frames). Every wait is bounded by a timeout.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "json/json_value.h"
#include "util/unique_fd.h"
#include "ws/frame_decoder.h"
#include "ws/frame_encoder.h"

namespace chatd::testing {

using namespace std::chrono_literals;

struct WsOptions {
    std::string host = "127.0.0.1";
    std::optional<std::string> host_header;  // the Host value, "host:port" when unset; "" sends no Host
    std::string path = "/ws";
    std::optional<std::string> protocol = "chatd.v1";  // nullopt: raw mode
    std::optional<std::string> origin;
    std::map<std::string, std::string> headers;  // extra request headers
    int receive_buffer = 0;                      // SO_RCVBUF when > 0 (slow-reader tests)
    std::string version = "13";                  // Sec-WebSocket-Version
    std::string early_bytes;                     // sent in the same write as the request
    std::string bind_address;                    // the client's own address ("127.0.0.2": another loopback client)
};

struct Frame {
    ws::Opcode opcode = ws::Opcode::Text;
    std::string payload;
    std::uint16_t close_code = 0;  // Close frames
    std::string close_reason;
};

class WsClient {
public:
    // Connects and upgrades; throws std::runtime_error unless the server answers 101.
    static std::unique_ptr<WsClient> connect(std::uint16_t port, const WsOptions& options = {});
    // Sends the upgrade request and returns the server's status code and the
    // response head; `client` is set only on 101.
    struct Handshake {
        int status = 0;
        std::string head;
        std::unique_ptr<WsClient> client;
    };
    static Handshake handshake(std::uint16_t port, const WsOptions& options = {});

    void sendText(std::string_view text);
    void sendBinary(std::string_view data);
    void sendFrame(std::uint8_t opcode, std::string_view payload, const ws::ClientFrameOptions& options = {});
    void sendBytes(std::string_view bytes);  // verbatim
    void sendClose(std::uint16_t code = 1000);

    // The next frame (pings are answered and skipped); nullopt on timeout or EOF.
    std::optional<Frame> receive(std::chrono::milliseconds timeout = 5s);
    // The next JSON text frame parsed; throws on timeout/EOF or a non-JSON frame.
    json::Value receiveJson(std::chrono::milliseconds timeout = 5s);
    // Skips frames until a JSON object with "type" == type arrives; throws on timeout.
    json::Value waitFor(std::string_view type, std::chrono::milliseconds timeout = 5s);
    // Skips frames until a presence event `event` about `nick` arrives.
    json::Value waitForPresence(std::string_view event, std::string_view nick, std::chrono::milliseconds timeout = 5s);
    // Reads until the server's close frame (returns its code) or EOF (1006);
    // nullopt when neither came within `timeout`.
    std::optional<std::uint16_t> waitClosed(std::chrono::milliseconds timeout = 5s);

    std::string_view responseHead() const { return head_; }
    int fd() const { return fd_.get(); }

    // Use connect()/handshake(); public for std::make_unique.
    WsClient(util::UniqueFd fd, std::string leftover, std::string head);

private:
    bool fill(std::chrono::steady_clock::time_point deadline);

    util::UniqueFd fd_;
    std::string buffer_;
    std::string head_;
    ws::FrameDecoder decoder_;
    bool eof_ = false;
};

// A client connected to `port` and joined to `room` as `nick`, its welcome
// read (and kept in `*welcome` when given): how most end-to-end tests begin.
std::unique_ptr<WsClient> joinedClient(std::uint16_t port, const std::string& nick, const std::string& room = "r",
                                       const WsOptions& options = {}, json::Value* welcome = nullptr);

// The string value of `field` in a JSON object ("" when absent or not a string).
std::string str(const json::Value& object, std::string_view field);
// The unsigned integer value of `field` (throws when absent).
std::uint64_t uint(const json::Value& object, std::string_view field);

}  // namespace chatd::testing
