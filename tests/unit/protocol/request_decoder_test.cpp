// Tests for the chatd.v1 request decoder: every request shape, every refusal
// and its code and reason, and the id echo.
#include <gtest/gtest.h>

#include <string>

#include "protocol/request_decoder.h"

namespace chatd::protocol {
namespace {

DecodedRequest decodeOk(std::string_view text) {
    auto result = decodeRequest(text);
    if (auto* err = std::get_if<RequestError>(&result)) {
        ADD_FAILURE() << "refused " << text << ": " << err->code << ": " << err->reason;
        return DecodedRequest{MessageRequest{}, std::nullopt};
    }
    return std::get<DecodedRequest>(std::move(result));
}

RequestError decodeError(std::string_view text) {
    auto result = decodeRequest(text);
    if (auto* err = std::get_if<RequestError>(&result)) return *err;
    ADD_FAILURE() << "accepted " << text;
    return RequestError{};
}

template <typename T>
T requestAs(const DecodedRequest& decoded) {
    const T* r = std::get_if<T>(&decoded.request);
    EXPECT_NE(r, nullptr) << "wrong request type, index " << decoded.request.index();
    return r ? *r : T{};
}

// --- join ---------------------------------------------------------------

TEST(DecodeHistory, DefaultsAndFields) {
    DecodedRequest bare = decodeOk(R"({"type":"history"})");
    const auto& defaults = std::get<HistoryRequest>(bare.request);
    EXPECT_FALSE(defaults.before.has_value());
    EXPECT_EQ(defaults.limit, 50u);
    DecodedRequest full = decodeOk(R"({"type":"history","before":17,"limit":100,"id":"h"})");
    const auto& given = std::get<HistoryRequest>(full.request);
    EXPECT_EQ(given.before, 17u);
    EXPECT_EQ(given.limit, 100u);
    EXPECT_EQ(full.id, "h");
    EXPECT_EQ(std::get<HistoryRequest>(decodeOk(R"({"type":"history","before":null,"limit":1})").request).limit, 1u);
}

TEST(DecodeHistory, OutOfRangeOrWrongTypesAreBadRequests) {
    for (const char* text : {R"({"type":"history","limit":0})", R"({"type":"history","limit":101})",
                             R"({"type":"history","limit":2.5})", R"({"type":"history","before":-1})",
                             R"({"type":"history","before":"3"})", R"({"type":"history","limit":true})"}) {
        EXPECT_EQ(decodeError(text).code, "bad_request") << text;
    }
    EXPECT_EQ(decodeError(R"({"type":"history","limit":0,"id":"x"})").id, "x");
}

TEST(DecodeUsers, DefaultsAndFields) {
    const auto defaults = requestAs<UsersRequest>(decodeOk(R"({"type":"users"})"));
    EXPECT_FALSE(defaults.after.has_value());
    EXPECT_EQ(defaults.limit, 200u);
    DecodedRequest full = decodeOk(R"({"type":"users","after":"Bob","limit":1000,"id":"u"})");
    const auto given = requestAs<UsersRequest>(full);
    EXPECT_EQ(given.after, "Bob");
    EXPECT_EQ(given.limit, 1000u);
    EXPECT_EQ(full.id, "u");
    EXPECT_EQ(requestAs<UsersRequest>(decodeOk(R"({"type":"users","after":null,"limit":1})")).limit, 1u);
}

TEST(DecodeUsers, OutOfRangeOrWrongTypesAreBadRequests) {
    for (const char* text : {R"({"type":"users","limit":0})", R"({"type":"users","limit":1001})",
                             R"({"type":"users","limit":2.5})", R"({"type":"users","after":3})",
                             R"({"type":"users","after":"0123456789012345678901234567890123"})"}) {
        EXPECT_EQ(decodeError(text).code, "bad_request") << text;
    }
    EXPECT_EQ(decodeError(R"({"type":"users","limit":0,"id":"x"})").id, "x");
}

TEST(DecodeJoin, BareJoin) {
    DecodedRequest d = decodeOk(R"({"type":"join"})");
    JoinRequest j = requestAs<JoinRequest>(d);
    EXPECT_FALSE(j.room);
    EXPECT_FALSE(j.nick);
    EXPECT_FALSE(j.since);
    EXPECT_FALSE(d.id);
}

TEST(DecodeJoin, AllFields) {
    DecodedRequest d =
        decodeOk(R"({"type":"join","room":"#dev","nick":"Ann","since":{"epoch":"e1","seq":41},"id":"j1"})");
    JoinRequest j = requestAs<JoinRequest>(d);
    EXPECT_EQ(j.room, "#dev");
    EXPECT_EQ(j.nick, "Ann");
    ASSERT_TRUE(j.since);
    EXPECT_EQ(j.since->epoch, "e1");
    EXPECT_EQ(j.since->seq, 41u);
    EXPECT_EQ(d.id, "j1");
}

TEST(DecodeJoin, NullOptionalFieldsAreAbsentAndUnknownFieldsIgnored) {
    DecodedRequest d = decodeOk(R"({"type":"join","room":null,"nick":null,"since":null,"id":null,"extra":{"x":[1]}})");
    JoinRequest j = requestAs<JoinRequest>(d);
    EXPECT_FALSE(j.room);
    EXPECT_FALSE(j.nick);
    EXPECT_FALSE(j.since);
    EXPECT_FALSE(d.id);
}

TEST(DecodeJoin, SinceSeqBoundaries) {
    EXPECT_EQ(requestAs<JoinRequest>(decodeOk(R"({"type":"join","since":{"epoch":"","seq":0}})")).since->seq, 0u);
    EXPECT_EQ(
        requestAs<JoinRequest>(decodeOk(R"({"type":"join","since":{"epoch":"e","seq":9007199254740992}})")).since->seq,
        9007199254740992u);
}

TEST(DecodeJoin, WrongFieldTypesAreBadRequests) {
    struct Case {
        const char* text;
        const char* reason;
    };
    const Case cases[] = {
        {R"({"type":"join","room":5})", "field 'room' must be a string"},
        {R"({"type":"join","nick":["a"]})", "field 'nick' must be a string"},
        {R"({"type":"join","since":"e1:4"})", "field 'since' must be an object"},
        {R"({"type":"join","since":[]})", "field 'since' must be an object"},
        {R"({"type":"join","since":{"seq":1}})", "field 'since.epoch' must be a string"},
        {R"({"type":"join","since":{"epoch":3,"seq":1}})", "field 'since.epoch' must be a string"},
        {R"({"type":"join","since":{"epoch":"e"}})", "field 'since.seq' must be a non-negative integer"},
        {R"({"type":"join","since":{"epoch":"e","seq":-1}})", "field 'since.seq' must be a non-negative integer"},
        {R"({"type":"join","since":{"epoch":"e","seq":1.5}})", "field 'since.seq' must be a non-negative integer"},
        {R"({"type":"join","since":{"epoch":"e","seq":"1"}})", "field 'since.seq' must be a non-negative integer"},
        {R"({"type":"join","since":{"epoch":"e","seq":9007199254740993}})",
         "field 'since.seq' must be a non-negative integer"},
    };
    for (const Case& c : cases) {
        RequestError e = decodeError(c.text);
        EXPECT_EQ(e.code, "bad_request") << c.text;
        EXPECT_EQ(e.reason, c.reason) << c.text;
    }
}

TEST(DecodeJoin, InvalidRoomAndNick) {
    RequestError room = decodeError(R"({"type":"join","room":"bad room","id":"r"})");
    EXPECT_EQ(room.code, "invalid_room");
    EXPECT_NE(room.reason.find("1-64"), std::string::npos);
    EXPECT_EQ(room.id, "r");
    EXPECT_EQ(decodeError(R"({"type":"join","room":""})").code, "invalid_room");

    RequestError nick = decodeError(R"({"type":"join","nick":"#hash","id":"n"})");
    EXPECT_EQ(nick.code, "invalid_nick");
    EXPECT_NE(nick.reason.find("1-32"), std::string::npos);
    EXPECT_EQ(nick.id, "n");
    const std::string long_nick = std::string(R"({"type":"join","nick":")") + std::string(33, 'a') + "\"}";
    EXPECT_EQ(decodeError(long_nick).code, "invalid_nick");
}

TEST(DecodeJoin, TypeErrorsComeBeforeValueErrors) {
    EXPECT_EQ(decodeError(R"({"type":"join","room":"bad room","since":7})").code, "bad_request");
    EXPECT_EQ(decodeError(R"({"type":"join","room":"bad room","nick":"bad nick"})").code, "invalid_room");
}

// --- message ------------------------------------------------------------

TEST(DecodeMessage, TextAndId) {
    DecodedRequest d = decodeOk(R"({"type":"message","text":"hi \"there\"\n\u00e9","id":"m-1"})");
    EXPECT_EQ(requestAs<MessageRequest>(d).text, "hi \"there\"\n\xC3\xA9");
    EXPECT_EQ(d.id, "m-1");
    EXPECT_FALSE(decodeOk(R"({"text":"x","type":"message"})").id);  // field order is free
}

TEST(DecodeMessage, TextRules) {
    struct Case {
        const char* text;
        const char* reason;
    };
    const Case cases[] = {
        {R"({"type":"message"})", "missing field 'text'"},
        {R"({"type":"message","text":null})", "field 'text' must be a string"},
        {R"({"type":"message","text":42})", "field 'text' must be a string"},
        {R"({"type":"message","text":{"t":"x"}})", "field 'text' must be a string"},
        {R"({"type":"message","text":""})", "field 'text' must not be empty"},
    };
    for (const Case& c : cases) {
        RequestError e = decodeError(c.text);
        EXPECT_EQ(e.code, "bad_request") << c.text;
        EXPECT_EQ(e.reason, c.reason) << c.text;
    }
    // A large text is not the decoder's business (the chat layer says too_large).
    const std::string big = R"({"type":"message","text":")" + std::string(100000, 'x') + "\"}";
    EXPECT_EQ(requestAs<MessageRequest>(decodeOk(big)).text.size(), 100000u);
}

// --- nick ---------------------------------------------------------------

TEST(DecodeNick, ValidNick) {
    DecodedRequest d = decodeOk(R"({"type":"nick","nick":"Bob.2","id":"x"})");
    EXPECT_EQ(requestAs<NickRequest>(d).nick, "Bob.2");
    EXPECT_EQ(d.id, "x");
}

TEST(DecodeNick, Rules) {
    RequestError missing = decodeError(R"({"type":"nick","id":"k"})");
    EXPECT_EQ(missing.code, "bad_request");
    EXPECT_EQ(missing.reason, "missing field 'nick'");
    EXPECT_EQ(missing.id, "k");
    EXPECT_EQ(decodeError(R"({"type":"nick","nick":1})").reason, "field 'nick' must be a string");
    EXPECT_EQ(decodeError(R"({"type":"nick","nick":null})").code, "bad_request");
    EXPECT_EQ(decodeError(R"({"type":"nick","nick":""})").code, "invalid_nick");
    EXPECT_EQ(decodeError(R"({"type":"nick","nick":"j\u00f6rg"})").code, "invalid_nick");
    RequestError invalid = decodeError(R"({"type":"nick","nick":"a b","id":"k2"})");
    EXPECT_EQ(invalid.code, "invalid_nick");
    EXPECT_EQ(invalid.id, "k2");
}

// --- envelope: JSON, type, id --------------------------------------------

TEST(DecodeEnvelope, NotJsonOrNotObject) {
    RequestError e = decodeError("hello");
    EXPECT_EQ(e.code, "bad_request");
    EXPECT_EQ(e.reason, "not JSON: unexpected 'h' at offset 0");
    EXPECT_FALSE(e.id);
    EXPECT_EQ(decodeError("").reason, "not JSON: unexpected end of input at offset 0");
    EXPECT_EQ(decodeError(R"({"type":"message","text":"x",})").code, "bad_request");
    EXPECT_EQ(decodeError(R"({"type":"message","text":"x"} trailing)").code, "bad_request");
    EXPECT_EQ(decodeError(R"({"type":"join","type":"join"})").reason.substr(0, 24), "not JSON: duplicate key ");
    for (const char* text : {"[]", "\"join\"", "1", "null", "true", R"([{"type":"join"}])"}) {
        RequestError err = decodeError(text);
        EXPECT_EQ(err.code, "bad_request") << text;
        EXPECT_EQ(err.reason, "frame must be a JSON object") << text;
    }
}

TEST(DecodeEnvelope, TooDeep) {
    std::string deep = R"({"type":"message","text":"x","extra":)" + std::string(40, '[') + std::string(40, ']') + "}";
    EXPECT_NE(decodeError(deep).reason.find("nesting deeper than"), std::string::npos);
}

TEST(DecodeEnvelope, TypeRules) {
    RequestError missing = decodeError(R"({"text":"x","id":"a"})");
    EXPECT_EQ(missing.code, "bad_request");
    EXPECT_EQ(missing.reason, "missing field 'type'");
    EXPECT_EQ(missing.id, "a");
    EXPECT_EQ(decodeError(R"({"type":1})").reason, "field 'type' must be a string");
    EXPECT_EQ(decodeError(R"({"type":null})").reason, "field 'type' must be a string");
    RequestError unknown = decodeError(R"({"type":"leave","id":"b"})");
    EXPECT_EQ(unknown.code, "bad_request");
    EXPECT_EQ(unknown.reason, "unknown type \"leave\"");
    EXPECT_EQ(unknown.id, "b");
    EXPECT_EQ(decodeError(R"({"type":"JOIN"})").reason, "unknown type \"JOIN\"");  // case-sensitive
    // A long unknown type is shortened in the reason, on a code point boundary.
    const std::string long_type = std::string(31, 't') + "\xC3\xA9" + std::string(50, 'u');
    EXPECT_EQ(decodeError(R"({"type":")" + long_type + "\"}").reason,
              "unknown type \"" + std::string(31, 't') + "...\"");
}

TEST(DecodeEnvelope, IdRules) {
    const std::string id64(64, 'i');
    EXPECT_EQ(decodeOk(R"({"type":"join","id":")" + id64 + "\"}").id, id64);
    EXPECT_EQ(decodeOk(R"({"type":"join","id":""})").id, "");
    // 64 code points of 2 bytes each (128 bytes) are fine: the limit counts code points.
    std::string wide_id;
    for (int i = 0; i < 64; ++i) wide_id += "\xC3\xA9";
    EXPECT_EQ(decodeOk(R"({"type":"join","id":")" + wide_id + "\"}").id, wide_id);

    RequestError too_long = decodeError(R"({"type":"join","id":")" + id64 + "i\"}");
    EXPECT_EQ(too_long.code, "bad_request");
    EXPECT_EQ(too_long.reason, "field 'id' must be at most 64 characters");
    EXPECT_FALSE(too_long.id);
    EXPECT_EQ(decodeError(R"({"type":"join","id":")" + wide_id + "\xC3\xA9\"}").code, "bad_request");

    RequestError number_id = decodeError(R"({"type":"message","text":"x","id":7})");
    EXPECT_EQ(number_id.reason, "field 'id' must be a string");
    EXPECT_FALSE(number_id.id);
    // A bad id is reported even when the rest is also wrong (it is read first).
    EXPECT_EQ(decodeError(R"({"id":{},"type":"nope"})").reason, "field 'id' must be a string");
}

TEST(DecodeEnvelope, IdEchoedOnEveryKindOfError) {
    EXPECT_EQ(decodeError(R"({"id":"e1","type":"message"})").id, "e1");
    EXPECT_EQ(decodeError(R"({"id":"e2","type":"message","text":""})").id, "e2");
    EXPECT_EQ(decodeError(R"({"id":"e3","type":"join","since":{}})").id, "e3");
    EXPECT_EQ(decodeError(R"({"id":"e4","type":"join","room":"a b"})").id, "e4");
    EXPECT_EQ(decodeError(R"({"id":"e5","type":7})").id, "e5");
    EXPECT_EQ(decodeError(R"({"id":"e\u00e9\ud83d\ude00","type":"x"})").id, "e\xC3\xA9\xF0\x9F\x98\x80");
}

}  // namespace
}  // namespace chatd::protocol
