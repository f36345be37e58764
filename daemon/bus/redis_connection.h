// RedisConnection: one hiredis (0.14) asynchronous connection driven by the
// bus EventLoop through hiredis' event hooks (ev.addRead/delRead/addWrite/
// delWrite/cleanup): nothing here ever blocks on the socket. Replies come back
// in command order; a handler whose reply will never come (the connection
// ended) is called with nullptr. Loop thread only.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "bus/event_loop.h"
#include "util/clock.h"

struct redisAsyncContext;
struct redisReply;

namespace chatd::bus {

// Where Redis listens: a unix socket when `unix_socket` is set, else host:port.
struct RedisEndpoint {
    std::string host = "127.0.0.1";
    std::uint16_t port = 6379;
    std::string unix_socket;

    std::string describe() const;
};

class RedisConnection {
public:
    using ReplyHandler = std::function<void(const redisReply* reply)>;
    using PushHandler = std::function<void(const redisReply& reply)>;
    using ClosedHandler = std::function<void(const std::string& reason)>;

    // `closed` runs once when the connection fails or ends by itself. The
    // owner must not destroy the connection inside that call (post it).
    // `outbound`, when given, counts the bytes of the commands sent and not
    // answered yet (shared by the owner's connections; read by any thread).
    RedisConnection(EventLoop& loop, ClosedHandler closed, std::atomic<std::size_t>* outbound = nullptr);
    // Frees the connection: waiting handlers get nullptr, `closed` does not
    // run. Never call it from inside one of this connection's handlers.
    ~RedisConnection();
    RedisConnection(const RedisConnection&) = delete;
    RedisConnection& operator=(const RedisConnection&) = delete;

    // Starts a non-blocking connect; false (with `error`) when it failed at once.
    bool connect(const RedisEndpoint& endpoint, std::string& error);
    bool isOpen() const { return context_ != nullptr; }

    // Queues a command; false when the connection is gone (handler not kept).
    bool command(std::span<const std::string_view> argv, ReplyHandler handler);
    // (P)SUBSCRIBE: `push` receives every reply of the subscription (the
    // confirmation, then each message).
    bool subscribe(std::span<const std::string_view> argv, PushHandler push);

    // Commands sent and not answered yet, and since when the oldest waits.
    std::size_t waiting() const { return waiting_.size(); }
    std::optional<util::SteadyTime> oldestWaitingSince() const;

private:
    static void onReply(redisAsyncContext* context, void* reply, void* self);
    static void onPush(redisAsyncContext* context, void* reply, void* self);
    static void onConnect(const redisAsyncContext* context, int status);
    static void onDisconnect(const redisAsyncContext* context, int status);
    static void addRead(void* self);
    static void delRead(void* self);
    static void addWrite(void* self);
    static void delWrite(void* self);
    static void cleanup(void* self);

    void handleEvents(bool readable, bool writable);
    void setInterest(bool read, bool write);
    // The context is gone (hiredis frees it): tell the owner once.
    void ended(std::string reason);

    EventLoop& loop_;
    ClosedHandler closed_;
    PushHandler push_;
    redisAsyncContext* context_ = nullptr;
    EventLoop::WatchId watch_ = 0;
    bool want_read_ = false;
    bool want_write_ = false;
    bool destroying_ = false;
    struct Waiting {
        ReplyHandler handler;
        util::SteadyTime since;
        std::size_t bytes;
    };
    void answered(std::size_t bytes);

    std::deque<Waiting> waiting_;
    std::size_t waiting_bytes_ = 0;
    std::atomic<std::size_t>* outbound_ = nullptr;
};

// The size of a command in Redis' wire format (RESP), as hiredis writes it:
// "*<count>\r\n", then "$<length>\r\n<argument>\r\n" for each argument.
std::size_t respCommandBytes(std::span<const std::string_view> argv);

// Helpers for reading replies.
bool isError(const redisReply* reply);
// The text of a string, status or error reply ("" otherwise).
std::string_view replyText(const redisReply* reply);

}  // namespace chatd::bus
