// What the chat core tests send (chatd.v1 requests) and the small waits they
// share. Names, rooms and texts in these tests are plain ASCII: no escaping.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "ws/frame_encoder.h"
#include "ws_client.h"

namespace chatd::testing {

inline std::string joinRequest(const std::string& room, const std::string& nick = {},
                               const std::optional<std::pair<std::string, std::uint64_t>>& since = {},
                               const std::string& id = {}) {
    std::string out = R"({"type":"join","room":")" + room + '"';
    if (!nick.empty()) out += R"(,"nick":")" + nick + '"';
    if (since) out += R"(,"since":{"epoch":")" + since->first + R"(","seq":)" + std::to_string(since->second) + '}';
    if (!id.empty()) out += R"(,"id":")" + id + '"';
    return out + '}';
}

inline std::string messageRequest(const std::string& text, const std::string& id = {}) {
    std::string out = R"({"type":"message","text":")" + text + '"';
    if (!id.empty()) out += R"(,"id":")" + id + '"';
    return out + '}';
}

inline std::string nickRequest(const std::string& nick, const std::string& id = {}) {
    std::string out = R"({"type":"nick","nick":")" + nick + '"';
    if (!id.empty()) out += R"(,"id":")" + id + '"';
    return out + '}';
}

// Sends `requests` as text frames in one write: the session reads them all
// before any answer can come back.
inline void sendInOneWrite(WsClient& client, const std::vector<std::string>& requests) {
    std::string bytes;
    for (const std::string& request : requests) ws::appendClientFrame(bytes, 0x1, request);
    client.sendBytes(bytes);
}

// Joins `room` as `nick` and returns the welcome (the next frame must be it).
inline json::Value joinAs(WsClient& client, const std::string& room, const std::string& nick = {}) {
    client.sendText(joinRequest(room, nick));
    json::Value welcome = client.receiveJson();
    EXPECT_EQ(str(welcome, "type"), "welcome");
    return welcome;
}

// Joins as above and also takes the joiner's own presence event.
inline json::Value enter(WsClient& client, const std::string& room, const std::string& nick = {}) {
    json::Value welcome = joinAs(client, room, nick);
    json::Value own = client.receiveJson();
    EXPECT_EQ(str(own, "type"), "presence");
    EXPECT_EQ(str(own, "event"), "join");
    return welcome;
}

// The next frame, which must be a JSON object of type `type`.
inline json::Value nextOfType(WsClient& client, const std::string& type) {
    json::Value frame = client.receiveJson();
    EXPECT_EQ(str(frame, "type"), type) << "got another frame than expected";
    return frame;
}

// The next frame, which must be the presence event `event` about `nick`
// with `count` members.
inline json::Value expectPresence(WsClient& client, const std::string& event, const std::string& nick,
                                  std::uint64_t count) {
    json::Value presence = nextOfType(client, "presence");
    EXPECT_EQ(str(presence, "event"), event);
    EXPECT_EQ(str(presence, "nick"), nick);
    EXPECT_EQ(uint(presence, "count"), count);
    return presence;
}

// The next frame, which must be the error `code` answering request `id`.
inline json::Value expectError(WsClient& client, const std::string& code, const std::string& id) {
    json::Value error = nextOfType(client, "error");
    EXPECT_EQ(str(error, "code"), code);
    EXPECT_EQ(str(error, "id"), id);
    return error;
}

// Enters `room` and takes the join's presence from each of `members`.
inline json::Value enterSeenBy(WsClient& client, const std::string& room, const std::string& nick,
                               std::initializer_list<WsClient*> members) {
    json::Value welcome = enter(client, room, nick);
    for (WsClient* member : members) nextOfType(*member, "presence");
    return welcome;
}

// The nicks of a welcome's "users", in its order.
inline std::vector<std::string> usersOf(const json::Value& welcome) {
    std::vector<std::string> out;
    if (const json::Value* users = welcome.find("users"); users && users->asArray())
        for (const json::Value& user : *users->asArray())
            if (user.asString()) out.push_back(*user.asString());
    return out;
}

// The "seq" of each message in the list `field` of `frame`.
inline std::vector<std::uint64_t> seqsIn(const json::Value& frame, const std::string& field) {
    std::vector<std::uint64_t> out;
    if (const json::Value* list = frame.find(field); list && list->asArray())
        for (const json::Value& message : *list->asArray()) out.push_back(uint(message, "seq"));
    return out;
}

// The "seq" of each message in a welcome's "history".
inline std::vector<std::uint64_t> historySeqs(const json::Value& welcome) { return seqsIn(welcome, "history"); }

inline std::string historyRequest(std::optional<std::uint64_t> before, std::optional<std::size_t> limit,
                                  const std::string& id = {}) {
    std::string out = R"({"type":"history")";
    if (before) out += R"(,"before":)" + std::to_string(*before);
    if (limit) out += R"(,"limit":)" + std::to_string(*limit);
    if (!id.empty()) out += R"(,"id":")" + id + '"';
    return out + '}';
}

inline bool flag(const json::Value& frame, const std::string& field) {
    const json::Value* value = frame.find(field);
    return value && value->asBool() && *value->asBool();
}

inline std::vector<std::string> sorted(std::vector<std::string> nicks) {
    std::sort(nicks.begin(), nicks.end());
    return nicks;
}

inline bool recovered(const json::Value& welcome) { return flag(welcome, "recovered"); }

}  // namespace chatd::testing
