#include "bus/redis_connection.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <vector>

namespace chatd::bus {

std::string RedisEndpoint::describe() const {
    return unix_socket.empty() ? host + ":" + std::to_string(port) : "unix:" + unix_socket;
}

namespace {
std::size_t decimalDigits(std::size_t value) {
    std::size_t digits = 1;
    while (value >= 10) {
        value /= 10;
        ++digits;
    }
    return digits;
}

std::size_t respHeaderBytes(std::size_t count) { return 1 + decimalDigits(count) + 2; }

std::size_t respArgumentBytes(std::size_t length) { return 1 + decimalDigits(length) + 2 + length + 2; }
}  // namespace

std::size_t respCommandBytes(std::span<const std::string_view> argv) {
    std::size_t bytes = respHeaderBytes(argv.size());
    for (std::string_view arg : argv) bytes += respArgumentBytes(arg.size());
    return bytes;
}

RedisConnection::RedisConnection(EventLoop& loop, ClosedHandler closed, std::atomic<std::size_t>* outbound)
    : loop_(loop), closed_(std::move(closed)), outbound_(outbound) {}

RedisConnection::~RedisConnection() {
    destroying_ = true;
    if (context_) {
        redisAsyncContext* context = context_;
        redisAsyncFree(context);  // runs the waiting handlers with nullptr, then cleanup()
        context_ = nullptr;
    }
    if (watch_ != 0) loop_.unwatch(watch_);
    answered(waiting_bytes_);  // nothing is left waiting (hiredis answered all with nullptr)
}

void RedisConnection::answered(std::size_t bytes) {
    waiting_bytes_ -= bytes;
    if (outbound_) outbound_->fetch_sub(bytes, std::memory_order_relaxed);
}

bool RedisConnection::connect(const RedisEndpoint& endpoint, std::string& error) {
    redisAsyncContext* context = endpoint.unix_socket.empty() ? redisAsyncConnect(endpoint.host.c_str(), endpoint.port)
                                                              : redisAsyncConnectUnix(endpoint.unix_socket.c_str());
    if (!context) {
        error = "out of memory";
        return false;
    }
    if (context->err) {
        error = context->errstr;
        redisAsyncFree(context);
        return false;
    }
    context_ = context;
    context->data = this;
    context->ev.data = this;
    context->ev.addRead = &RedisConnection::addRead;
    context->ev.delRead = &RedisConnection::delRead;
    context->ev.addWrite = &RedisConnection::addWrite;
    context->ev.delWrite = &RedisConnection::delWrite;
    context->ev.cleanup = &RedisConnection::cleanup;
    redisAsyncSetConnectCallback(context, &RedisConnection::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisConnection::onDisconnect);
    watch_ = loop_.watch(context->c.fd, [this](bool readable, bool writable) { handleEvents(readable, writable); });
    setInterest(false, true);  // writable = the connect finished (or failed)
    return true;
}

bool RedisConnection::command(std::span<const std::string_view> argv, ReplyHandler handler) {
    if (!context_) return false;
    std::vector<const char*> pointers;
    std::vector<std::size_t> lengths;
    for (std::string_view arg : argv) {
        pointers.push_back(arg.data());
        lengths.push_back(arg.size());
    }
    if (redisAsyncCommandArgv(context_, &RedisConnection::onReply, this, static_cast<int>(argv.size()), pointers.data(),
                              lengths.data()) != REDIS_OK)
        return false;
    const std::size_t bytes = respCommandBytes(argv);
    waiting_.push_back(Waiting{std::move(handler), util::steadyNow(), bytes});
    waiting_bytes_ += bytes;
    if (outbound_) outbound_->fetch_add(bytes, std::memory_order_relaxed);
    return true;
}

bool RedisConnection::subscribe(std::span<const std::string_view> argv, PushHandler push) {
    if (!context_) return false;
    push_ = std::move(push);
    std::vector<const char*> pointers;
    std::vector<std::size_t> lengths;
    for (std::string_view arg : argv) {
        pointers.push_back(arg.data());
        lengths.push_back(arg.size());
    }
    return redisAsyncCommandArgv(context_, &RedisConnection::onPush, this, static_cast<int>(argv.size()),
                                 pointers.data(), lengths.data()) == REDIS_OK;
}

std::optional<util::SteadyTime> RedisConnection::oldestWaitingSince() const {
    if (waiting_.empty()) return std::nullopt;
    return waiting_.front().since;
}

void RedisConnection::onReply(redisAsyncContext*, void* reply, void* self) {
    auto& connection = *static_cast<RedisConnection*>(self);
    if (connection.waiting_.empty()) return;
    ReplyHandler handler = std::move(connection.waiting_.front().handler);
    connection.answered(connection.waiting_.front().bytes);
    connection.waiting_.pop_front();
    if (handler) handler(static_cast<const redisReply*>(reply));
}

void RedisConnection::onPush(redisAsyncContext*, void* reply, void* self) {
    auto& connection = *static_cast<RedisConnection*>(self);
    if (reply && connection.push_ && !connection.destroying_) connection.push_(*static_cast<const redisReply*>(reply));
}

void RedisConnection::onConnect(const redisAsyncContext* context, int status) {
    if (status != REDIS_OK) static_cast<RedisConnection*>(context->data)->ended(context->errstr);
}

void RedisConnection::onDisconnect(const redisAsyncContext* context, int status) {
    static_cast<RedisConnection*>(context->data)
        ->ended(status == REDIS_OK ? "connection closed" : std::string(context->errstr));
}

void RedisConnection::ended(std::string reason) {
    context_ = nullptr;  // hiredis frees it when this callback returns
    if (!destroying_ && closed_) {
        ClosedHandler closed = std::move(closed_);
        closed_ = nullptr;
        closed(reason.empty() ? "connection lost" : reason);
    }
}

void RedisConnection::handleEvents(bool readable, bool writable) {
    const EventLoop::WatchId watch = watch_;
    if (readable && context_) redisAsyncHandleRead(context_);
    // The read may have ended the connection (cleanup() removed the watch).
    if (writable && context_ && loop_.watching(watch)) redisAsyncHandleWrite(context_);
}

void RedisConnection::setInterest(bool read, bool write) {
    want_read_ = read;
    want_write_ = write;
    if (watch_ != 0) loop_.setInterest(watch_, read, write);
}

void RedisConnection::addRead(void* self) {
    auto& c = *static_cast<RedisConnection*>(self);
    c.setInterest(true, c.want_write_);
}
void RedisConnection::delRead(void* self) {
    auto& c = *static_cast<RedisConnection*>(self);
    c.setInterest(false, c.want_write_);
}
void RedisConnection::addWrite(void* self) {
    auto& c = *static_cast<RedisConnection*>(self);
    c.setInterest(c.want_read_, true);
}
void RedisConnection::delWrite(void* self) {
    auto& c = *static_cast<RedisConnection*>(self);
    c.setInterest(c.want_read_, false);
}
void RedisConnection::cleanup(void* self) {
    auto& c = *static_cast<RedisConnection*>(self);
    if (c.watch_ != 0) c.loop_.unwatch(c.watch_);
    c.watch_ = 0;
}

bool isError(const redisReply* reply) { return reply && reply->type == REDIS_REPLY_ERROR; }

std::string_view replyText(const redisReply* reply) {
    if (!reply) return {};
    if (reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_STATUS || reply->type == REDIS_REPLY_ERROR)
        return {reply->str, reply->len};
    return {};
}

}  // namespace chatd::bus
