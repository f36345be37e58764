// Helpers of the bus tests that talk to a real redis-server: running a
// script exactly as the bus builds the call, and a blocking subscriber.
#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bus/redis_calls.h"
#include "bus/redis_scripts.h"
#include "redis_server.h"

namespace chatd::bus::test {

// EVAL of the script's text with the call's keys and arguments.
inline std::string eval(const testing::RedisServer& redis, const ScriptCall& call) {
    std::vector<std::string> argv{"EVAL", script(call.script).source, std::to_string(call.keys.size())};
    argv.insert(argv.end(), call.keys.begin(), call.keys.end());
    argv.insert(argv.end(), call.args.begin(), call.args.end());
    return redis.command(argv);
}

struct Published {
    std::string channel;
    std::string payload;
};

// A blocking pub/sub connection. Nothing-more checks publish a marker and
// expect it next (a read timeout would end a hiredis blocking context).
class Subscriber {
public:
    Subscriber(const testing::RedisServer& redis, const std::vector<std::string>& patterns,
               const std::vector<std::string>& channels)
        : redis_(redis), context_(redisConnect("127.0.0.1", redis.port()), &redisFree) {
        if (!context_ || context_->err) throw std::runtime_error("subscriber cannot connect");
        const timeval timeout{5, 0};
        redisSetTimeout(context_.get(), timeout);
        for (const auto& pattern : patterns) subscribe("PSUBSCRIBE", pattern);
        for (const auto& channel : channels) subscribe("SUBSCRIBE", channel);
        subscribe("SUBSCRIBE", kMarker);
    }

    // The next message (waits up to 5 s; throws on timeout).
    Published next() {
        void* raw = nullptr;
        if (redisGetReply(context_.get(), &raw) != REDIS_OK) throw std::runtime_error("no message within 5 s");
        std::unique_ptr<redisReply, void (*)(void*)> reply(static_cast<redisReply*>(raw), &freeReplyObject);
        const std::size_t n = reply->elements;
        return Published{std::string(reply->element[n - 2]->str, reply->element[n - 2]->len),
                         std::string(reply->element[n - 1]->str, reply->element[n - 1]->len)};
    }

    // True when nothing was published since the last next().
    bool nothingMore() {
        redis_.command({"PUBLISH", kMarker, "marker"});
        return next().channel == kMarker;
    }

private:
    static constexpr const char* kMarker = "test:marker";

    void subscribe(const char* verb, const std::string& name) {
        auto* reply = static_cast<redisReply*>(redisCommand(context_.get(), "%s %s", verb, name.c_str()));
        if (!reply) throw std::runtime_error("subscribe failed");
        freeReplyObject(reply);
    }

    const testing::RedisServer& redis_;
    std::unique_ptr<redisContext, void (*)(redisContext*)> context_;
};

}  // namespace chatd::bus::test
