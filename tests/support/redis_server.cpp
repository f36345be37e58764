#include "redis_server.h"

#include <hiredis/hiredis.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "free_port.h"

namespace chatd::testing {

namespace {

using namespace std::chrono_literals;
constexpr int kStartAttempts = 5;

std::string replyToText(const redisReply* reply) {
    switch (reply->type) {
        case REDIS_REPLY_INTEGER:
            return std::to_string(reply->integer);
        case REDIS_REPLY_NIL:
            return "(nil)";
        case REDIS_REPLY_ARRAY: {
            std::string out;
            for (std::size_t i = 0; i < reply->elements; ++i) out += (i ? "\n" : "") + replyToText(reply->element[i]);
            return out;
        }
        default:
            return std::string(reply->str, reply->len);
    }
}

}  // namespace

std::string redisServerPath() {
    for (const char* candidate : {"/usr/bin/redis-server", "/usr/local/bin/redis-server"})
        if (::access(candidate, X_OK) == 0) return candidate;
    return "";
}

RedisServer::RedisServer() {
    if (redisServerPath().empty())
        throw std::runtime_error("redis-server is not installed (apt-get install -y redis-server)");
    char pattern[] = "/tmp/chatd-redis-XXXXXX";
    if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
        port_ = freeLoopbackPort();
        if (launch()) return;
    }
    throw std::runtime_error("redis-server did not start in " + std::to_string(kStartAttempts) + " attempts");
}

RedisServer::~RedisServer() {
    if (paused_) resume();
    kill();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

bool RedisServer::launch() {
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{redisServerPath(), "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save",
                                 "", "--appendonly", "no", "--dir", dir_, "--daemonize", "no", "--loglevel", "notice"});
    if (process_->waitForOutput("Ready to accept connections", 10s)) return true;
    const std::string output = process_->output();
    process_.reset();
    if (output.find("Address already in use") != std::string::npos) return false;
    throw std::runtime_error("redis-server did not start:\n" + output);
}

void RedisServer::stop() {
    if (!process_) return;
    if (paused_) resume();
    process_->signal(SIGTERM);
    if (!process_->waitExit(10s)) process_->signal(SIGKILL);
    process_->waitExit(10s);
    process_.reset();
}

void RedisServer::kill() {
    if (!process_) return;
    process_->signal(SIGKILL);
    process_->waitExit(10s);
    process_.reset();
    paused_ = false;
}

void RedisServer::start() {
    if (process_) return;
    // The port was ours a moment ago; someone may hold it briefly (TIME_WAIT does not count).
    for (int attempt = 0; attempt < kStartAttempts; ++attempt)
        if (launch()) return;
    throw std::runtime_error("redis-server could not get port " + std::to_string(port_) + " back");
}

void RedisServer::pause() {
    if (process_ && !paused_) process_->signal(SIGSTOP);
    paused_ = true;
}

void RedisServer::resume() {
    if (process_ && paused_) process_->signal(SIGCONT);
    paused_ = false;
}

std::string RedisServer::command(std::initializer_list<std::string_view> argv) const {
    return run(std::vector<std::string_view>(argv));
}

std::string RedisServer::command(const std::vector<std::string>& argv) const {
    return run(std::vector<std::string_view>(argv.begin(), argv.end()));
}

std::string RedisServer::run(const std::vector<std::string_view>& argv) const {
    const timeval timeout{5, 0};
    std::unique_ptr<redisContext, void (*)(redisContext*)> context(redisConnectWithTimeout("127.0.0.1", port_, timeout),
                                                                   &redisFree);
    if (!context || context->err)
        throw std::runtime_error("cannot reach redis on port " + std::to_string(port_) + ": " +
                                 (context ? context->errstr : "out of memory"));
    redisSetTimeout(context.get(), timeout);
    std::vector<const char*> pointers;
    std::vector<std::size_t> lengths;
    for (std::string_view arg : argv) {
        pointers.push_back(arg.data());
        lengths.push_back(arg.size());
    }
    std::unique_ptr<redisReply, void (*)(void*)> reply(
        static_cast<redisReply*>(
            redisCommandArgv(context.get(), static_cast<int>(argv.size()), pointers.data(), lengths.data())),
        &freeReplyObject);
    if (!reply) throw std::runtime_error(std::string("redis command failed: ") + context->errstr);
    if (reply->type == REDIS_REPLY_ERROR) throw std::runtime_error("redis: " + std::string(reply->str, reply->len));
    return replyToText(reply.get());
}

}  // namespace chatd::testing
