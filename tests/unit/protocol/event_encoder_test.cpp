// Tests for the chatd.v1 event encoders: each output is parsed back with the
// JSON reader and checked field by field.
#include <gtest/gtest.h>

#include <array>
#include <limits>
#include <string>
#include <vector>

#include "json/json_reader.h"
#include "protocol/event_encoder.h"

namespace chatd::protocol {
namespace {

using json::Value;

Value parsed(const std::string& text) {
    std::string error;
    auto v = json::parse(text, error);
    EXPECT_TRUE(v.has_value()) << text << ": " << error;
    EXPECT_TRUE(v && v->isObject()) << text;
    if (!v) return Value();
    return std::move(*v);
}

std::string str(const Value& object, std::string_view key) {
    const Value* v = object.find(key);
    if (!v || !v->isString()) {
        ADD_FAILURE() << "no string field " << key;
        return {};
    }
    return *v->asString();
}

std::uint64_t uint(const Value& object, std::string_view key) {
    const Value* v = object.find(key);
    auto u = v ? v->asUint() : std::nullopt;
    if (!u) ADD_FAILURE() << "no integer field " << key;
    return u.value_or(0);
}

std::size_t memberCount(const Value& object) { return object.asObject() ? object.asObject()->size() : 0; }

ChatMessage sampleMessage() {
    return ChatMessage{"#dev",      "ep-1", 41, 1700000000123, "ann", "hi \"all\"\n\xE2\x80\xA8 \xF0\x9F\x98\x80",
                       std::nullopt, {}};
}

TEST(EncodeMessage, AllFieldsWithoutId) {
    const std::string text = encodeMessage(sampleMessage());
    Value v = parsed(text);
    EXPECT_EQ(str(v, "type"), "message");
    EXPECT_EQ(str(v, "room"), "#dev");
    EXPECT_EQ(str(v, "epoch"), "ep-1");
    EXPECT_EQ(uint(v, "seq"), 41u);
    EXPECT_EQ(uint(v, "ts"), 1700000000123u);
    EXPECT_EQ(str(v, "from"), "ann");
    EXPECT_EQ(str(v, "text"), "hi \"all\"\n\xE2\x80\xA8 \xF0\x9F\x98\x80");
    EXPECT_EQ(v.find("id"), nullptr);
    EXPECT_EQ(memberCount(v), 7u);
    EXPECT_EQ(text.substr(0, 17), R"({"type":"message")");
}

TEST(EncodeMessage, WithIdAndExtremes) {
    ChatMessage m = sampleMessage();
    m.id = "c-\"1\"";
    m.seq = std::numeric_limits<std::uint64_t>::max();
    m.ts_ms = -1;
    m.text = std::string_view("\0\x1f", 2);
    const std::string text = encodeMessage(m);
    Value v = parsed(text);
    EXPECT_EQ(str(v, "id"), "c-\"1\"");
    EXPECT_EQ(str(v, "text"), std::string("\0\x1f", 2));
    EXPECT_EQ(*v.find("ts")->asDouble(), -1.0);
    EXPECT_NE(text.find(R"("seq":18446744073709551615)"), std::string::npos);
    EXPECT_EQ(memberCount(v), 8u);
}

// 1.1: a post carries `origin`; a member's message never does (the test above).
TEST(EncodeMessage, APostCarriesItsOrigin) {
    ChatMessage m = sampleMessage();
    m.from = "announce";
    m.origin = message_origin::kPlugin;
    Value v = parsed(encodeMessage(m));
    EXPECT_EQ(str(v, "origin"), "plugin");
    EXPECT_EQ(str(v, "from"), "announce");
    EXPECT_EQ(memberCount(v), 8u);
    m.origin = message_origin::kAdmin;
    EXPECT_EQ(str(parsed(encodeMessage(m)), "origin"), "admin");
}

TEST(RawMessageText, TheTextForAMemberAndAMarkedLineForAPost) {
    ChatMessage m = sampleMessage();
    m.text = "hello";
    EXPECT_EQ(rawMessageText(m), "hello");
    m.from = "announce";
    m.origin = message_origin::kPlugin;
    EXPECT_EQ(rawMessageText(m), "[plugin] announce: hello");
    m.from = "admin";
    m.origin = message_origin::kAdmin;
    EXPECT_EQ(rawMessageText(m), "[admin] admin: hello");
}

TEST(EncodeHistory, SplicesTheMessagesAndSaysWhetherThereIsMore) {
    ChatMessage second = sampleMessage();
    second.seq = 42;
    const std::string h1 = encodeMessage(sampleMessage());
    const std::string h2 = encodeMessage(second);
    const std::array<std::string_view, 2> messages{h1, h2};
    Value v = parsed(encodeHistory("#dev", "ep-1", messages, true, std::string_view("q\"1")));
    EXPECT_EQ(str(v, "type"), "history");
    EXPECT_EQ(str(v, "room"), "#dev");
    EXPECT_EQ(str(v, "epoch"), "ep-1");
    EXPECT_EQ(str(v, "id"), "q\"1");
    EXPECT_EQ(*v.find("more")->asBool(), true);
    const auto* list = v.find("messages")->asArray();
    ASSERT_NE(list, nullptr);
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ(uint((*list)[0], "seq"), 41u);
    EXPECT_EQ(uint((*list)[1], "seq"), 42u);

    Value empty = parsed(encodeHistory("r", "e", {}, false, std::nullopt));
    EXPECT_EQ(empty.find("messages")->asArray()->size(), 0u);
    EXPECT_EQ(*empty.find("more")->asBool(), false);
    EXPECT_EQ(empty.find("id"), nullptr);
}

TEST(EncodeWelcome, FieldsUsersAndSplicedHistory) {
    ChatMessage first = sampleMessage();
    ChatMessage second = sampleMessage();
    second.seq = 42;
    second.id = "mine";
    const std::string h1 = encodeMessage(first);
    const std::string h2 = encodeMessage(second);
    const std::array<std::string_view, 2> history{h1, h2};
    const std::vector<std::string> users{"ann", "Bob", "we\"ird"};
    Welcome w{"s-123", "ann", "#dev", "ep-1", 42, users, history, true, 4096, 7, false};

    const std::string text = encodeWelcome(w);
    Value v = parsed(text);
    EXPECT_EQ(str(v, "type"), "welcome");
    EXPECT_EQ(str(v, "session"), "s-123");
    EXPECT_EQ(str(v, "nick"), "ann");
    EXPECT_EQ(str(v, "room"), "#dev");
    EXPECT_EQ(str(v, "epoch"), "ep-1");
    EXPECT_EQ(uint(v, "seq"), 42u);
    EXPECT_EQ(*v.find("recovered")->asBool(), true);
    EXPECT_EQ(uint(v, "max_text_bytes"), 4096u);
    EXPECT_EQ(uint(v, "count"), 7u);
    EXPECT_EQ(*v.find("users_complete")->asBool(), false);
    EXPECT_EQ(memberCount(v), 12u);

    const json::Array& got_users = *v.find("users")->asArray();
    ASSERT_EQ(got_users.size(), 3u);
    EXPECT_EQ(*got_users[2].asString(), "we\"ird");

    const json::Array& got_history = *v.find("history")->asArray();
    ASSERT_EQ(got_history.size(), 2u);
    EXPECT_EQ(got_history[0], parsed(h1));
    EXPECT_EQ(got_history[1], parsed(h2));
    EXPECT_EQ(str(got_history[1], "id"), "mine");
    // Spliced verbatim, not re-encoded.
    EXPECT_NE(text.find("\"history\":[" + h1 + "," + h2 + "]"), std::string::npos);
}

TEST(EncodeWelcome, EmptyListsAndNotRecovered) {
    Welcome w{"s", "guest-1", "lobby", "e", 0, {}, {}, false, 0};
    Value v = parsed(encodeWelcome(w));
    EXPECT_TRUE(v.find("users")->asArray()->empty());
    EXPECT_TRUE(v.find("history")->asArray()->empty());
    EXPECT_EQ(*v.find("recovered")->asBool(), false);
    EXPECT_EQ(uint(v, "seq"), 0u);
}

TEST(EncodePresenceBatch, ListsCountsAndRenames) {
    const std::vector<std::string> joined{"ann", "bob"};
    const std::vector<std::string> left{"cy"};
    const std::vector<NickChange> renamed{{"dee", "dora"}};
    Value v = parsed(encodePresenceBatch(PresenceBatch{.room = "#dev",
                                                       .joined = joined,
                                                       .left = left,
                                                       .renamed = renamed,
                                                       .joined_count = 60,
                                                       .left_count = 1,
                                                       .count = 612}));
    EXPECT_EQ(str(v, "type"), "presence");
    EXPECT_EQ(str(v, "event"), "batch");
    EXPECT_EQ(str(v, "room"), "#dev");
    EXPECT_EQ(uint(v, "joined_count"), 60u);
    EXPECT_EQ(uint(v, "left_count"), 1u);
    EXPECT_EQ(uint(v, "count"), 612u);
    EXPECT_EQ(memberCount(v), 9u);
    ASSERT_EQ(v.find("joined")->asArray()->size(), 2u);
    EXPECT_EQ(*(*v.find("joined")->asArray())[1].asString(), "bob");
    EXPECT_EQ(*(*v.find("left")->asArray())[0].asString(), "cy");
    const json::Array& changes = *v.find("renamed")->asArray();
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(str(changes[0], "old_nick"), "dee");
    EXPECT_EQ(str(changes[0], "nick"), "dora");
    Value empty = parsed(encodePresenceBatch(PresenceBatch{
        .room = "r", .joined = {}, .left = {}, .renamed = {}, .joined_count = 0, .left_count = 0, .count = 0}));
    EXPECT_TRUE(empty.find("renamed")->asArray()->empty());
}

TEST(EncodeUsers, APageWithAndWithoutNext) {
    const std::vector<std::string> users{"ann", "Bob"};
    Value page = parsed(encodeUsers(UsersPage{.room = "r", .users = users, .next = "Bob", .count = 5, .id = "u"}));
    EXPECT_EQ(str(page, "type"), "users");
    EXPECT_EQ(str(page, "room"), "r");
    EXPECT_EQ(str(page, "next"), "Bob");
    EXPECT_EQ(str(page, "id"), "u");
    EXPECT_EQ(uint(page, "count"), 5u);
    EXPECT_EQ(page.find("users")->asArray()->size(), 2u);
    Value last = parsed(encodeUsers(UsersPage{.room = "r", .users = {}, .next = std::nullopt, .count = 0, .id = std::nullopt}));
    EXPECT_EQ(last.find("next"), nullptr);
    EXPECT_EQ(last.find("id"), nullptr);
    EXPECT_TRUE(last.find("users")->asArray()->empty());
}

TEST(EncodePresence, JoinLeaveNick) {
    Value join = parsed(encodePresence("#dev", presence_event::kJoin, "ann", std::nullopt, 3));
    EXPECT_EQ(str(join, "type"), "presence");
    EXPECT_EQ(str(join, "room"), "#dev");
    EXPECT_EQ(str(join, "event"), "join");
    EXPECT_EQ(str(join, "nick"), "ann");
    EXPECT_EQ(join.find("old_nick"), nullptr);
    EXPECT_EQ(uint(join, "count"), 3u);
    EXPECT_EQ(memberCount(join), 5u);

    Value leave = parsed(encodePresence("#dev", presence_event::kLeave, "ann", std::nullopt, 0));
    EXPECT_EQ(str(leave, "event"), "leave");
    EXPECT_EQ(uint(leave, "count"), 0u);

    Value nick = parsed(encodePresence("#dev", presence_event::kNick, "anna", "ann", 2));
    EXPECT_EQ(str(nick, "event"), "nick");
    EXPECT_EQ(str(nick, "nick"), "anna");
    EXPECT_EQ(str(nick, "old_nick"), "ann");
    EXPECT_EQ(memberCount(nick), 6u);
}

TEST(EncodePresence, AKickedLeaveCarriesItsReason) {
    Value leave = parsed(encodePresence("#dev", presence_event::kLeave, "ann", std::nullopt, 1, leave_reason::kKicked));
    EXPECT_EQ(str(leave, "event"), "leave");
    EXPECT_EQ(str(leave, "reason"), "kicked");
    EXPECT_EQ(memberCount(leave), 6u);
    EXPECT_EQ(parsed(encodePresence("#dev", presence_event::kLeave, "ann", std::nullopt, 1)).find("reason"), nullptr);
}

TEST(EncodeKicked, FieldsAndTheRawLine) {
    const std::string text = encodeKicked("#dev", "spam \"links\"", "mod-bot");
    Value v = parsed(text);
    EXPECT_EQ(str(v, "type"), "kicked");
    EXPECT_EQ(str(v, "room"), "#dev");
    EXPECT_EQ(str(v, "reason"), "spam \"links\"");
    EXPECT_EQ(str(v, "by"), "mod-bot");
    EXPECT_EQ(memberCount(v), 4u);
    EXPECT_EQ(rawKickedText("#dev", "spam", "admin"), "[kicked] removed from #dev by admin: spam");
    EXPECT_EQ(rawKickedText("#dev", "", "admin"), "[kicked] removed from #dev by admin");
}

TEST(EncodeError, WithAndWithoutId) {
    Value plain = parsed(encodeError(error_code::kRateLimited, "slow down", std::nullopt));
    EXPECT_EQ(str(plain, "type"), "error");
    EXPECT_EQ(str(plain, "code"), "rate_limited");
    EXPECT_EQ(str(plain, "reason"), "slow down");
    EXPECT_EQ(plain.find("id"), nullptr);
    EXPECT_EQ(memberCount(plain), 3u);

    Value with_id = parsed(encodeError(error_code::kRejected, "no \"links\"\t", "m\xC3\xA9"));
    EXPECT_EQ(str(with_id, "code"), "rejected");
    EXPECT_EQ(str(with_id, "reason"), "no \"links\"\t");
    EXPECT_EQ(str(with_id, "id"), "m\xC3\xA9");
    EXPECT_EQ(memberCount(with_id), 4u);
}

TEST(EncodeNotice, Fields) {
    const std::string text = encodeNotice("echo-bot", "you said\n\"hi\"");
    Value v = parsed(text);
    EXPECT_EQ(str(v, "type"), "notice");
    EXPECT_EQ(str(v, "from"), "echo-bot");
    EXPECT_EQ(str(v, "text"), "you said\n\"hi\"");
    EXPECT_EQ(memberCount(v), 3u);
    EXPECT_EQ(text, R"({"type":"notice","from":"echo-bot","text":"you said\n\"hi\""})");
}

TEST(ErrorCodes, MatchTheContract) {
    EXPECT_EQ(error_code::kBadRequest, "bad_request");
    EXPECT_EQ(error_code::kTooLarge, "too_large");
    EXPECT_EQ(error_code::kRateLimited, "rate_limited");
    EXPECT_EQ(error_code::kRejected, "rejected");
    EXPECT_EQ(error_code::kNickTaken, "nick_taken");
    EXPECT_EQ(error_code::kInvalidNick, "invalid_nick");
    EXPECT_EQ(error_code::kInvalidRoom, "invalid_room");
    EXPECT_EQ(error_code::kForbidden, "forbidden");
    EXPECT_EQ(leave_reason::kKicked, "kicked");
    EXPECT_EQ(message_origin::kPlugin, "plugin");
    EXPECT_EQ(message_origin::kAdmin, "admin");
}

}  // namespace
}  // namespace chatd::protocol
