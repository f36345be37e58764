// chatd/json.hpp: the strict reader of on_control's arguments (a JSON list
// of strings) and the writers plugins build their answers with.
#include <chatd/json.hpp>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace chatd::sdk::json {
namespace {

using Strings = std::vector<std::string>;

TEST(SdkJson, ParsesListsOfStrings) {
    EXPECT_EQ(parseStringList("[]"), Strings{});
    EXPECT_EQ(parseStringList(" [ \"a\" ,\n\"b c\" ] "), (Strings{"a", "b c"}));
    EXPECT_EQ(parseStringList(R"(["\"\\\/\b\f\n\r\t"])"), Strings{"\"\\/\b\f\n\r\t"});
    EXPECT_EQ(parseStringList(R"(["\u0041\u00e9\u20ac\ud83d\ude00"])"), Strings{"Aé€😀"});
    EXPECT_EQ(parseStringList("[\"é\"]"), Strings{"é"});
}

TEST(SdkJson, RefusesEverythingElse) {
    for (const char* bad : {"",
                            "[",
                            "]",
                            "{}",
                            "\"a\"",
                            "[1]",
                            "[null]",
                            "[\"a\",]",
                            "[,\"a\"]",
                            "[\"a\" \"b\"]",
                            "[\"a\"] x",
                            "[\"a\"]]",
                            "[\"\\x\"]",
                            "[\"\\u12\"]",
                            "[\"\\udc00\"]",
                            "[\"\\ud800\"]",
                            "[\"\\ud800\\u0041\"]",
                            "[\"a\nb\"]",
                            "[\"\xff\"]",
                            "[\"abc]"}) {
        EXPECT_THROW(parseStringList(bad), std::invalid_argument) << bad;
    }
    try {
        parseStringList("[1]");
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "not a JSON list of strings: expected '\"' at offset 1");
    }
}

TEST(SdkJson, QuoteAndStringListWriteWhatParseReads) {
    EXPECT_EQ(quote("a\"b\\c\n\x01"), R"("a\"b\\c\n\u0001")");
    EXPECT_EQ(stringList({}), "[]");
    const Strings items{"plain", "\"quoted\"", "tab\there", "é€", std::string("nul\0x", 5)};
    EXPECT_EQ(parseStringList(stringList(items)), items);
}

}  // namespace
}  // namespace chatd::sdk::json
