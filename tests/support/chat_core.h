// ChatCore: the room core of one chatd instance without the HTTP server, for
// unit tests of chat::Hub, HubShard, Session and LoopRooms. Everything in it
// is the real thing: a Hub with its shard threads, IO loop threads, and for
// each client a chat::Session on a net::Connection. Only the socket is
// different: a socketpair, whose other end is the test's WsClient (real
// WebSocket frames both ways). The bus is the in-memory one unless the test
// hands in another (tests/support/fake_bus.h).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "bus/bus.h"
#include "chat/chat_settings.h"
#include "chat/hub.h"
#include "chat/session_ref.h"
#include "metrics/instruments.h"
#include "net/io_loop.h"
#include "ws_client.h"

namespace chatd::testing {

// Settings for tests: no join/nick rate limit, no message pacing, the rest as shipped.
chat::ChatSettings coreTestSettings();

// Polls `condition` until it holds (true) or `timeout` passed (false).
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(5));

class ChatCore {
public:
    struct Options {
        unsigned loops = 2;
        unsigned shards = 2;
        chat::ChatSettings settings = coreTestSettings();
        std::unique_ptr<bus::Bus> bus;  // null: the in-memory bus
        chat::MessageStore* store = nullptr;  // the rooms' durable history (null: none); outlives the core
    };

    ChatCore() : ChatCore(Options{}) {}
    explicit ChatCore(Options options);
    // Closes every connection, then stops the loops and the hub.
    ~ChatCore();
    ChatCore(const ChatCore&) = delete;
    ChatCore& operator=(const ChatCore&) = delete;

    // A client whose session lives on loop `loop` (default: the next in turn).
    // A raw client is put in the default room by its session, as on the server.
    std::unique_ptr<WsClient> connect(chat::Mode mode = chat::Mode::Json, std::optional<unsigned> loop = {});

    chat::Hub& hub() { return *hub_; }
    // Chat messages the shards have taken from members (metrics
    // received_raw + received_json): a fence for "the shard got that far".
    std::uint64_t messagesTaken() const { return received_raw_.value() + received_json_.value(); }
    // Open connections on every loop.
    std::size_t connectionCount() const;

private:
    metrics::Counter received_raw_;
    metrics::Counter received_json_;
    std::vector<std::unique_ptr<net::IoLoop>> loops_;
    std::unique_ptr<chat::Hub> hub_;
    unsigned next_loop_ = 0;
};

}  // namespace chatd::testing
