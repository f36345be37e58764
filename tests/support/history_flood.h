// What the history-memory tests send: the longest chat message the default
// limits allow, made of control characters (4096 U+0001: 4 KiB of text,
// 24,576 bytes once escaped as "\u0001" in the frame a room's history keeps),
// and a room filled with it.
#pragma once

#include <algorithm>
#include <string>

#include "ws_client.h"

namespace chatd::testing {

inline std::string floodRequest(const std::string& id) {
    std::string request = R"({"type":"message","id":")" + id + R"(","text":")";
    for (int i = 0; i < 4096; ++i) request += "\\u0001";
    return request + R"("})";
}

// Joins `room` as "flooder" and posts `count` flood messages, ten at a time,
// each ten followed by reading its own copies (so it never falls behind as a
// slow consumer, and the server has taken every one into the history when
// this returns). Returns the welcome.
inline json::Value floodRoom(WsClient& client, const std::string& room, int count) {
    client.sendText(R"({"type":"join","room":")" + room + R"(","nick":"flooder"})");
    json::Value welcome = client.waitFor("welcome", 10s);
    for (int sent = 0; sent < count;) {
        const int window = std::min(10, count - sent);
        for (int i = 0; i < window; ++i) client.sendText(floodRequest(room + "-" + std::to_string(sent + i)));
        sent += window;
        const std::string last = room + "-" + std::to_string(sent - 1);
        while (str(client.waitFor("message", 20s), "id") != last) {
        }
    }
    return welcome;
}

}  // namespace chatd::testing
