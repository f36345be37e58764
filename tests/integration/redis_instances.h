// What the Redis integration tests share: two in-process instances on one
// real redis-server, and helpers for joins, messages and /healthz.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <thread>

#include "json/json_reader.h"
#include "redis_server.h"
#include "test_server.h"
#include "ws_client.h"

namespace chatd::testing {

using Clock = std::chrono::steady_clock;

inline std::string healthOf(const TestServer& server) {
    Poco::Net::HTTPClientSession session("127.0.0.1", server.port());
    Poco::Net::HTTPRequest request("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    std::string error;
    auto value = json::parse(body, error);
    return value ? str(*value, "bus") : "unparsable: " + body;
}

// Waits (bounded) until /healthz reports `state` for the bus.
inline bool waitBusState(const TestServer& server, const std::string& state, std::chrono::seconds timeout = 20s) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (healthOf(server) == state) return true;
        std::this_thread::sleep_for(20ms);  // polling an HTTP endpoint: nothing to wait on
    }
    return false;
}

inline std::string joinFrame(const std::string& room, const std::string& nick, const std::string& since = "") {
    return R"({"type":"join","room":")" + room + R"(","nick":")" + nick + "\"" +
           (since.empty() ? "" : R"(,"since":)" + since) + "}";
}

inline std::unique_ptr<WsClient> joined(const TestServer& server, const std::string& room, const std::string& nick,
                                        json::Value* welcome = nullptr, const std::string& since = "") {
    auto client = WsClient::connect(server.port());
    client->sendText(joinFrame(room, nick, since));
    json::Value value = client->waitFor("welcome");
    if (welcome) *welcome = std::move(value);
    return client;
}

inline void say(WsClient& client, const std::string& text) {
    client.sendText(R"({"type":"message","text":")" + text + R"("})");
}

// The next message frame whose text is `text` (others are skipped).
inline json::Value messageWithText(WsClient& client, const std::string& text, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) throw std::runtime_error("no message '" + text + "'");
        json::Value message = client.waitFor("message", left);
        if (str(message, "text") == text) return message;
    }
}

// The texts of every message up to and including the one with `last`.
inline std::vector<std::string> textsUntil(WsClient& client, const std::string& last) {
    std::vector<std::string> texts;
    while (texts.empty() || texts.back() != last) texts.push_back(str(client.waitFor("message", 10s), "text"));
    return texts;
}

inline std::vector<std::string> users(const json::Value& welcome) {
    std::vector<std::string> out;
    for (const auto& item : *welcome.find("users")->asArray()) out.push_back(*item.asString());
    std::sort(out.begin(), out.end());
    return out;
}

class SharedRooms : public ::testing::Test {
protected:
    void SetUp() override {
        a_ = instance();
        b_ = instance();
    }
    std::unique_ptr<TestServer> instance(const std::function<void(config::Config&)>& adjust = {}) {
        return std::make_unique<TestServer>([&](config::Config& c) {
            c.bus.type = config::BusType::Redis;
            c.bus.redis.port = redis_.port();
            c.bus.redis.key_prefix = "it:";
            c.bus.redis.timeout = std::chrono::seconds(1);
            c.bus.redis.instance_ttl = std::chrono::seconds(3);
            if (adjust) adjust(c);
        });
    }

    RedisServer redis_;
    std::unique_ptr<TestServer> a_;
    std::unique_ptr<TestServer> b_;
};

}  // namespace chatd::testing
