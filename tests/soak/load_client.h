// LoadClient: one non-blocking WebSocket client of the soak load generator,
// driven by a Reactor (epoll). It connects (optionally from a chosen
// loopback source address), upgrades, decodes server frames, answers pings
// and the closing handshake, and reports what arrives to its owner. Clients
// never destroy themselves: a closed client stays until its owner drops it.
#pragma once

#include <netinet/in.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "json/json_value.h"
#include "ws/frame_decoder.h"

namespace chatd::soak {

class Reactor;
class LoadClient;

// What a client reports to the scenario.
class ClientListener {
public:
    virtual ~ClientListener() = default;
    virtual void onOpen(LoadClient& client) = 0;                            // the 101 arrived
    virtual void onJson(LoadClient& client, const json::Value& event) = 0;  // a text frame, parsed
    virtual void onBinary(LoadClient& client, std::string_view payload) = 0;
    virtual void onClosed(LoadClient& client) = 0;  // the socket is closed; closeCode() says why
};

class LoadClient {
public:
    enum class State { Connecting, Handshaking, Open, Closing, Closed };

    LoadClient(Reactor& reactor, ClientListener& listener, int id);
    ~LoadClient();
    LoadClient(const LoadClient&) = delete;
    LoadClient& operator=(const LoadClient&) = delete;

    // Starts a non-blocking connect; `protocol` empty = raw mode. false (and
    // error()) when the socket could not even be created.
    bool start(const sockaddr_in& server, const sockaddr_in* source, int receive_buffer, const std::string& protocol);

    void sendText(std::string_view text);
    void sendRaw(std::string bytes);  // verbatim (already framed)
    void closeCleanly(std::uint16_t code = 1000);
    void abort();  // closes the socket without a close frame
    void setReading(bool reading);
    // Data frames are dropped unparsed (a slow reader draining to its close frame).
    void setDiscarding(bool discarding) { discarding_ = discarding; }

    int id() const { return id_; }
    State state() const { return state_; }
    bool closed() const { return state_ == State::Closed; }
    // The server's close code; 1006 when the connection ended without one; 0 while open.
    std::uint16_t closeCode() const { return close_code_; }
    const std::string& error() const { return error_; }

    // --- for the Reactor ---
    void onEvents(std::uint32_t events);

    // Free for the scenario's bookkeeping.
    int tag = 0;

private:
    void onWritable();
    void onReadable();
    bool parseHandshake();
    void decodeFrames();
    void flush();
    void updateInterest();
    void finish(std::uint16_t code, std::string error = {});

    Reactor& reactor_;
    ClientListener& listener_;
    int id_;
    int fd_ = -1;
    State state_ = State::Connecting;
    bool reading_ = true;
    bool discarding_ = false;
    bool sent_close_ = false;
    std::uint16_t close_code_ = 0;
    std::string error_;
    std::string request_;
    std::string in_;
    std::string out_;
    std::size_t out_offset_ = 0;
    std::uint32_t interest_ = 0;
    ws::FrameDecoder decoder_;
};

// epoll: registrations and a loop that runs until a condition or a deadline.
class Reactor {
public:
    Reactor();
    ~Reactor();
    void set(int fd, std::uint32_t events, LoadClient* client, bool added);
    void remove(int fd);
    // Dispatches events until `done()` holds (checked after every batch) or `timeout` passes.
    bool runUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout);

private:
    int epoll_fd_;
};

}  // namespace chatd::soak
