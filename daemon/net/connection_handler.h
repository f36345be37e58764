// ConnectionHandler: what a WebSocket connection reports upward (the chat
// session implements it). Every call happens on the connection's IO loop.
#pragma once

#include <cstdint>
#include <string_view>

namespace chatd::net {

class Connection;

class ConnectionHandler {
public:
    virtual ~ConnectionHandler() = default;
    // The connection was adopted by its IO loop and can send.
    virtual void onOpen(Connection& connection) = 0;
    // One complete data message (text already UTF-8 validated).
    virtual void onMessage(Connection& connection, bool binary, std::string_view payload) = 0;
    // Called exactly once when the connection stops being open: `code` is the
    // close code sent or received (1006 when the TCP connection just ended).
    virtual void onClose(Connection& connection, std::uint16_t code, std::string_view reason) = 0;
};

}  // namespace chatd::net
