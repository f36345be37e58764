// Conformance tests for the strict JSON reader: what it accepts, what it
// builds, and every class of input it must refuse (with a useful message).
#include <gtest/gtest.h>

#include <string>

#include "json/json_reader.h"

namespace chatd::json {
namespace {

Value parseOk(std::string_view text) {
    std::string error;
    auto v = parse(text, error);
    EXPECT_TRUE(v.has_value()) << "input: " << text << " error: " << error;
    if (!v) return Value();
    return std::move(*v);
}

std::string parseError(std::string_view text, std::size_t max_depth = kDefaultMaxDepth) {
    std::string error;
    auto v = parse(text, error, max_depth);
    EXPECT_FALSE(v.has_value()) << "accepted: " << text;
    EXPECT_FALSE(error.empty()) << "no message for: " << text;
    return error;
}

std::string nested(std::size_t depth, char open, char close) {
    return std::string(depth, open) + std::string(depth, close);
}

TEST(JsonReader, Scalars) {
    EXPECT_TRUE(parseOk("null").isNull());
    EXPECT_EQ(*parseOk("true").asBool(), true);
    EXPECT_EQ(*parseOk("false").asBool(), false);
    EXPECT_EQ(*parseOk("\"hi\"").asString(), "hi");
    EXPECT_EQ(*parseOk("0").asDouble(), 0.0);
    EXPECT_EQ(*parseOk("-12.5e1").asDouble(), -125.0);
    EXPECT_EQ(*parseOk("1E+2").asDouble(), 100.0);
    EXPECT_EQ(*parseOk("2e-1").asDouble(), 0.2);
    EXPECT_EQ(*parseOk("0.5").asDouble(), 0.5);
}

TEST(JsonReader, WhitespaceAroundAndInside) {
    Value v = parseOk(" \t\r\n{ \"a\" : [ 1 , 2 ] }\n ");
    ASSERT_TRUE(v.isObject());
    ASSERT_NE(v.find("a"), nullptr);
    EXPECT_EQ(v.find("a")->asArray()->size(), 2u);
}

TEST(JsonReader, ObjectsKeepOrderAndFind) {
    Value v = parseOk(R"({"b":1,"a":"x","c":{"d":null},"e":[]})");
    const Object& o = *v.asObject();
    ASSERT_EQ(o.size(), 4u);
    EXPECT_EQ(o[0].first, "b");
    EXPECT_EQ(o[1].first, "a");
    EXPECT_EQ(*v.find("a")->asString(), "x");
    EXPECT_TRUE(v.find("c")->find("d")->isNull());
    EXPECT_EQ(v.find("missing"), nullptr);
    EXPECT_EQ(v.find("a")->find("x"), nullptr);  // find on a non-object
    EXPECT_TRUE(v.find("e")->asArray()->empty());
    EXPECT_TRUE(parseOk("{}").asObject()->empty());
}

TEST(JsonReader, ExactUnsignedIntegers) {
    EXPECT_EQ(parseOk("0").asUint(), 0u);
    EXPECT_EQ(parseOk("42").asUint(), 42u);
    EXPECT_EQ(parseOk("9007199254740992").asUint(), 9007199254740992u);  // 2^53
    // Above 2^53 the double may be inexact: still a number, but no exact uint.
    Value big = parseOk("9007199254740993");
    EXPECT_TRUE(big.isNumber());
    EXPECT_FALSE(big.asUint().has_value());
    EXPECT_FALSE(parseOk("18446744073709551616").asUint().has_value());  // 2^64
    EXPECT_FALSE(parseOk("-1").asUint().has_value());
    EXPECT_FALSE(parseOk("-0").asUint().has_value());
    EXPECT_FALSE(parseOk("1.0").asUint().has_value());
    EXPECT_FALSE(parseOk("1e2").asUint().has_value());
    EXPECT_FALSE(parseOk("\"5\"").asUint().has_value());
}

TEST(JsonReader, BigNumbers) {
    EXPECT_DOUBLE_EQ(*parseOk("123456789012345678901234567890").asDouble(), 1.2345678901234568e29);
    EXPECT_EQ(*parseOk("1e308").asDouble(), 1e308);
    EXPECT_EQ(*parseOk("-1.7976931348623157e308").asDouble(), -1.7976931348623157e308);
    EXPECT_GT(*parseOk("5e-324").asDouble(), 0.0);  // smallest subnormal
    EXPECT_NE(parseError("1e309").find("number out of range at offset 0"), std::string::npos);
    EXPECT_NE(parseError("[-1e400]").find("number out of range at offset 1"), std::string::npos);
    EXPECT_NE(parseError("1e-400").find("out of range"), std::string::npos);
}

TEST(JsonReader, Escapes) {
    EXPECT_EQ(*parseOk(R"("\"\\\/\b\f\n\r\t")").asString(), "\"\\/\b\f\n\r\t");
    EXPECT_EQ(*parseOk(R"("\u0041\u00e9\u20AC")").asString(), "A\xC3\xA9\xE2\x82\xAC");
    EXPECT_EQ(*parseOk(R"("\u0000")").asString(), std::string(1, '\0'));
    // Surrogate pair -> one 4-byte code point (U+1F600).
    EXPECT_EQ(*parseOk(R"("\ud83d\ude00")").asString(), "\xF0\x9F\x98\x80");
    EXPECT_EQ(*parseOk(R"("\uDBFF\uDFFF")").asString(), "\xF4\x8F\xBF\xBF");  // U+10FFFF
    // Raw UTF-8 and DEL pass through.
    EXPECT_EQ(*parseOk("\"h\xC3\xA9llo \x7F\"").asString(), "h\xC3\xA9llo \x7F");
}

TEST(JsonReader, BadEscapesAndSurrogates) {
    EXPECT_NE(parseError(R"("\x")").find("invalid escape \\'x' at offset 1"), std::string::npos);
    EXPECT_NE(parseError(R"("\u12")").find("truncated \\u escape"), std::string::npos);
    EXPECT_NE(parseError(R"("\u12G4")").find("invalid hex digit"), std::string::npos);
    EXPECT_EQ(parseError(R"("\ud800")"), "lone high surrogate in \\u escape at offset 1");
    EXPECT_NE(parseError(R"("\ud800x")").find("lone high surrogate"), std::string::npos);
    EXPECT_EQ(parseError(R"("a\udc00")"), "lone low surrogate in \\u escape at offset 2");
    EXPECT_NE(parseError(R"("\ud800\u0041")").find("not followed by a low surrogate"), std::string::npos);
    EXPECT_NE(parseError(R"("\ud800\ud800")").find("not followed by a low surrogate"), std::string::npos);
    EXPECT_NE(parseError(R"("\ud800\u")").find("truncated"), std::string::npos);
    EXPECT_NE(parseError("\"\\").find("unterminated string"), std::string::npos);
}

TEST(JsonReader, ControlCharactersInStrings) {
    for (int c = 0; c < 0x20; ++c) {
        std::string text = "\"a";
        text += static_cast<char>(c);
        text += "\"";
        EXPECT_NE(parseError(text).find("control character"), std::string::npos) << c;
    }
    EXPECT_EQ(parseError("\"a\nb\""), "control character 0x0A in string at offset 2");
}

TEST(JsonReader, Depth) {
    EXPECT_TRUE(parseOk(nested(32, '[', ']')).isArray());
    EXPECT_EQ(parseError(nested(33, '[', ']')), "nesting deeper than 32 at offset 32");
    std::string objects;
    for (int i = 0; i < 32; ++i) objects += "{\"a\":";
    std::string deep_objects = objects + "1" + std::string(32, '}');
    EXPECT_TRUE(parseOk(deep_objects).isObject());
    EXPECT_NE(parseError(objects + "{}" + std::string(32, '}')).find("nesting deeper than 32"), std::string::npos);
    // A custom limit, and scalars only at 0.
    EXPECT_NE(parseError("[[1]]", 1).find("nesting deeper than 1"), std::string::npos);
    std::string error;
    EXPECT_TRUE(parse("[1]", error, 1).has_value());
    EXPECT_TRUE(parse("7", error, 0).has_value());
    EXPECT_FALSE(parse("[]", error, 0).has_value());
    // Very deep input fails fast instead of exhausting the stack.
    EXPECT_NE(parseError(nested(100000, '[', ']')).find("nesting deeper"), std::string::npos);
}

TEST(JsonReader, DuplicateKeysRejected) {
    EXPECT_EQ(parseError(R"( {"a":1,"b":2,"a":3})"), "duplicate key \"a\" in object at offset 1");
    // Also detected in larger objects and nested ones.
    std::string many = "{";
    for (int i = 0; i < 100; ++i) many += "\"k" + std::to_string(i) + "\":0,";
    many += "\"k57\":1}";
    EXPECT_NE(parseError(many).find("duplicate key \"k57\""), std::string::npos);
    EXPECT_NE(parseError(R"([{"x":{"y":1,"y":1}}])").find("duplicate key"), std::string::npos);
    // Same key in sibling objects is fine; keys differing by case are distinct.
    EXPECT_TRUE(parseOk(R"([{"a":1},{"a":2},{"A":3,"a":4}])").isArray());
}

TEST(JsonReader, TrailingGarbage) {
    EXPECT_EQ(parseError("{} x"), "unexpected 'x' after the value at offset 3");
    EXPECT_NE(parseError("1 2").find("after the value"), std::string::npos);
    EXPECT_NE(parseError("{}{}").find("after the value"), std::string::npos);
    EXPECT_NE(parseError("[1]]").find("after the value"), std::string::npos);
    EXPECT_NE(parseError(std::string("{}\0", 3)).find("unexpected 0x00 after the value"), std::string::npos);
    EXPECT_NE(parseError("truex").find("after the value"), std::string::npos);
}

struct InvalidCase {
    const char* text;
    const char* message;  // exact error text
};

class JsonReaderInvalid : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(JsonReaderInvalid, RefusedWithMessage) {
    EXPECT_EQ(parseError(GetParam().text), GetParam().message) << "input: " << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Syntax, JsonReaderInvalid,
    ::testing::Values(
        InvalidCase{"", "unexpected end of input at offset 0"},
        InvalidCase{"   ", "unexpected end of input at offset 3"}, InvalidCase{"[1,]", "unexpected ']' at offset 3"},
        InvalidCase{"{\"a\":1,}", "expected a string key at offset 7"},
        InvalidCase{"{,}", "expected a string key at offset 1"},
        InvalidCase{"{a:1}", "expected a string key at offset 1"},
        InvalidCase{"{'a':1}", "expected a string key at offset 1"},
        InvalidCase{"{\"a\" 1}", "expected ':' at offset 5"},
        InvalidCase{"{\"a\"", "expected ':', got end of input at offset 4"},
        InvalidCase{"{\"a\":1", "expected ',' or '}', got end of input at offset 6"},
        InvalidCase{"{\"a\":1 \"b\":2}", "expected ',' or '}' at offset 7"},
        InvalidCase{"[1 2]", "expected ',' or ']' at offset 3"},
        InvalidCase{"[1", "expected ',' or ']', got end of input at offset 2"},
        InvalidCase{"[", "unexpected end of input at offset 1"}, InvalidCase{"// c\n1", "unexpected '/' at offset 0"},
        InvalidCase{"[1/*c*/]", "expected ',' or ']' at offset 2"},
        InvalidCase{"01", "leading zero in number at offset 1"},
        InvalidCase{"-01", "leading zero in number at offset 2"}, InvalidCase{"+1", "unexpected '+' at offset 0"},
        InvalidCase{"-", "expected a digit at offset 1"}, InvalidCase{"-a", "expected a digit at offset 1"},
        InvalidCase{".5", "unexpected '.' at offset 0"}, InvalidCase{"1.", "expected a digit after '.' at offset 2"},
        InvalidCase{"1.e3", "expected a digit after '.' at offset 2"},
        InvalidCase{"1e", "expected a digit in exponent at offset 2"},
        InvalidCase{"1e+", "expected a digit in exponent at offset 3"},
        InvalidCase{"NaN", "unexpected 'N' at offset 0"}, InvalidCase{"Infinity", "unexpected 'I' at offset 0"},
        InvalidCase{"-Infinity", "expected a digit at offset 1"}, InvalidCase{"nul", "invalid literal at offset 0"},
        InvalidCase{"True", "unexpected 'T' at offset 0"}, InvalidCase{"\"abc", "unterminated string at offset 4"},
        InvalidCase{"\xEF\xBB\xBF{}", "unexpected 0xEF at offset 0"}, InvalidCase{"\f1", "unexpected 0x0C at offset 0"},
        InvalidCase{"\x0B"
                    "1",
                    "unexpected 0x0B at offset 0"}));

}  // namespace
}  // namespace chatd::json
