// Tests for the JSON writer: escaping, builders, and round trips through the reader.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "json/json_reader.h"
#include "json/json_writer.h"

namespace chatd::json {
namespace {

std::string escaped(std::string_view s) {
    std::string out;
    appendString(out, s);
    return out;
}

std::string readBackString(const std::string& encoded) {
    std::string error;
    auto v = parse(encoded, error);
    EXPECT_TRUE(v.has_value()) << encoded << ": " << error;
    if (!v || !v->isString()) return "<not a string>";
    return *v->asString();
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControls) {
    EXPECT_EQ(escaped(""), "\"\"");
    EXPECT_EQ(escaped("plain text"), "\"plain text\"");
    EXPECT_EQ(escaped("a\"b\\c"), R"("a\"b\\c")");
    EXPECT_EQ(escaped("\b\f\n\r\t"), R"("\b\f\n\r\t")");
    EXPECT_EQ(escaped(std::string("\0\x01\x1f", 3)), R"("\u0000\u0001\u001f")");
    EXPECT_EQ(escaped("/<>&'\x7F"), "\"/<>&'\x7F\"");  // not escaped
}

TEST(JsonWriter, EscapesLineAndParagraphSeparators) {
    EXPECT_EQ(escaped("a\xE2\x80\xA8"
                      "b\xE2\x80\xA9"
                      "c"),
              R"("a\u2028b\u2029c")");
    // Other characters with the same lead byte are copied: U+20AC, U+2027, U+202A.
    EXPECT_EQ(escaped("\xE2\x82\xAC\xE2\x80\xA7\xE2\x80\xAA"), "\"\xE2\x82\xAC\xE2\x80\xA7\xE2\x80\xAA\"");
    EXPECT_EQ(escaped("end\xE2\x80"), "\"end\xE2\x80\"");  // truncated input is not over-read
}

TEST(JsonWriter, StringRoundTripsEveryAsciiByteAndUnicode) {
    std::string all;
    for (int c = 0; c < 0x80; ++c) all += static_cast<char>(c);
    EXPECT_EQ(readBackString(escaped(all)), all);
    const std::string unicode = "h\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xE2\x80\xA8\xE2\x80\xA9 \xF4\x8F\xBF\xBF";
    EXPECT_EQ(readBackString(escaped(unicode)), unicode);
}

TEST(JsonWriter, Integers) {
    std::string out;
    appendInt(out, std::numeric_limits<std::int64_t>::min());
    out += ' ';
    appendUint(out, std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(out, "-9223372036854775808 18446744073709551615");
}

TEST(JsonWriter, ObjectWriterBuildsNestedObjects) {
    std::string out;
    ObjectWriter o(out);
    o.field("s", "x\"y").field("i", -5).field("u", std::uint64_t{7}).boolean("t", true);
    o.boolean("f", false).null("n").optionalField("absent", std::nullopt);
    o.optionalField("present", std::string_view("p")).raw("r", R"({"k":[1]})");
    o.key("arr");
    ArrayWriter a(out);
    a.string("a").number(1).number(std::size_t{2}).boolean(false).raw("null");
    a.next();
    ObjectWriter inner(out);
    inner.field("z", 0);
    inner.close();
    a.close();
    o.key("empty");
    ObjectWriter empty(out);
    empty.close();
    o.key("empty_array");
    ArrayWriter empty_array(out);
    empty_array.close();
    o.close();
    EXPECT_EQ(out, R"({"s":"x\"y","i":-5,"u":7,"t":true,"f":false,"n":null,"present":"p",)"
                   R"("r":{"k":[1]},"arr":["a",1,2,false,null,{"z":0}],"empty":{},"empty_array":[]})");

    std::string error;
    auto v = parse(out, error);
    ASSERT_TRUE(v.has_value()) << error;
    EXPECT_EQ(*v->find("s")->asString(), "x\"y");
    EXPECT_EQ(*v->find("i")->asDouble(), -5.0);
    EXPECT_EQ(v->find("u")->asUint(), 7u);
    EXPECT_EQ(v->find("absent"), nullptr);
}

TEST(JsonWriter, EmptyObjectAndEscapedKeys) {
    std::string out;
    ObjectWriter o(out);
    o.field("we\"ird\n", "v");
    o.close();
    EXPECT_EQ(out, R"({"we\"ird\n":"v"})");
    std::string error;
    auto v = parse(out, error);
    ASSERT_TRUE(v.has_value()) << error;
    EXPECT_NE(v->find("we\"ird\n"), nullptr);
}

TEST(JsonWriter, DomRoundTrip) {
    const std::string text =
        R"({"a":[1,-2.5,1e+300,true,false,null,"s\u0001"],"b":{"c":{}},"d":[],"e":9007199254740992})";
    std::string error;
    auto first = parse(text, error);
    ASSERT_TRUE(first.has_value()) << error;
    const std::string written = write(*first);
    auto second = parse(written, error);
    ASSERT_TRUE(second.has_value()) << written << ": " << error;
    EXPECT_EQ(*first, *second);
    EXPECT_EQ(write(*second), written);
    EXPECT_EQ(written, R"({"a":[1,-2.5,1e+300,true,false,null,"s\u0001"],"b":{"c":{}},"d":[],"e":9007199254740992})");
}

TEST(JsonWriter, NonFiniteDoublesBecomeNull) {
    EXPECT_EQ(write(Value(std::numeric_limits<double>::infinity())), "null");
    EXPECT_EQ(write(Value(std::numeric_limits<double>::quiet_NaN())), "null");
    EXPECT_EQ(write(Value(0.1)), "0.1");
}

}  // namespace
}  // namespace chatd::json
