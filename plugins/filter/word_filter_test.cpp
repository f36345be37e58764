// Tests of the filter's matching engine: whole words, ASCII case folding,
// multibyte UTF-8 boundaries, phrases, patterns and masking.
#include "word_filter.h"

#include <gtest/gtest.h>

#include <chatd/detail/utf8.hpp>

namespace chatd::plugins::filter {
namespace {

std::string masked(const WordFilter& f, std::string_view text) { return WordFilter::mask(text, f.find(text)); }

TEST(WordFilter, MatchesWholeWordsInAnyAsciiCase) {
    WordFilter f({"darn"}, {});
    EXPECT_EQ(masked(f, "darn"), "***");
    EXPECT_EQ(masked(f, "Oh DARN, it's Darn!"), "Oh ***, it's ***!");
    EXPECT_EQ(masked(f, "(darn)darn-darn"), "(***)***-***");
}

TEST(WordFilter, DoesNotMatchInsideLongerWords) {
    WordFilter f({"darn"}, {});
    for (const char* text : {"darned", "undarn", "darn_it", "darn2", "2darn"})
        EXPECT_TRUE(f.find(text).empty()) << text;
}

TEST(WordFilter, ListEntriesAreLoweredAndTrimmed) {
    WordFilter f({"  DaRn \t", "", "   "}, {});
    EXPECT_EQ(masked(f, "darn"), "***");
}

TEST(WordFilter, NonAsciiLettersAreWordCharacters) {
    WordFilter f({"darn"}, {});
    EXPECT_TRUE(f.find("darné").empty());  // é continues the word
    EXPECT_TRUE(f.find("Ädarn").empty());  // so does Ä
    EXPECT_TRUE(f.find("日本darn").empty());
    EXPECT_EQ(masked(f, "é darn é"), "é *** é");
}

TEST(WordFilter, NonAsciiPunctuationSymbolsAndSpacesSeparateWords) {
    WordFilter f({"darn"}, {});
    EXPECT_EQ(masked(f, "«darn»"), "«***»");
    EXPECT_EQ(masked(f, "\u201Cdarn\u201D"), "\u201C***\u201D");  // curly quotes
    EXPECT_EQ(masked(f, "darn\u2026darn"), "***\u2026***");       // ellipsis
    EXPECT_EQ(masked(f, "\u00A0darn\u3000"), "\u00A0***\u3000");  // no-break and ideographic space
    EXPECT_EQ(masked(f, "darn\U0001F600"), "***\U0001F600");      // emoji
    EXPECT_EQ(masked(f, "\u3002darn\uFF01"), "\u3002***\uFF01");  // CJK full stop, fullwidth !
}

TEST(WordFilter, InvalidUtf8InTheTextIsScannedSafely) {
    WordFilter f({"darn"}, {"x"});
    EXPECT_EQ(masked(f, "\xFF darn \xC3"), "\xFF *** \xC3");
    EXPECT_TRUE(f.find("\xE6\x97"
                       "darn")
                    .empty());
}

TEST(WordFilter, NonAsciiWordsMatchExactly) {
    WordFilter f({"café", "ñ"}, {});
    EXPECT_EQ(masked(f, "un café noir"), "un *** noir");
    EXPECT_EQ(masked(f, "CAFé"), "***");  // the ASCII letters fold
    EXPECT_TRUE(f.find("CAFÉ").empty());  // É is not é
    EXPECT_TRUE(f.find("cafés").empty());
    EXPECT_EQ(masked(f, "a ñ b"), "a *** b");
    EXPECT_TRUE(f.find("ññ").empty());
}

TEST(WordFilter, PhrasesMatchWithBoundariesAtTheirEnds) {
    WordFilter f({"heck yeah", "f*ck"}, {});
    EXPECT_EQ(masked(f, "Heck Yeah!"), "***!");
    EXPECT_TRUE(f.find("check yeah").empty());
    EXPECT_TRUE(f.find("heck yeahs").empty());
    EXPECT_EQ(masked(f, "oh f*ck."), "oh ***.");
    EXPECT_TRUE(f.find("af*ck").empty());
}

TEST(WordFilter, PatternsAreCaseInsensitive) {
    WordFilter f({}, {"b[a4]+d+"});
    EXPECT_EQ(masked(f, "so BAAD and b4d"), "so *** and ***");
}

TEST(WordFilter, PatternMatchesAreWidenedToWholeCharacters) {
    WordFilter f({}, {"\\xA9"});  // the second byte of é (C3 A9)
    const std::string out = masked(f, "café!");
    EXPECT_EQ(out, "caf***!");
    EXPECT_TRUE(sdk::detail::isValidUtf8(out));

    WordFilter any({}, {"."});
    const std::string all = masked(any, "é日x");
    EXPECT_TRUE(sdk::detail::isValidUtf8(all)) << all;
    EXPECT_EQ(all, "*********");
}

TEST(WordFilter, OverlappingMatchesMergeIntoOneMask) {
    WordFilter f({"bad", "bad word"}, {"word s"});
    EXPECT_EQ(masked(f, "a bad word said"), "a ***aid");
}

TEST(WordFilter, InvalidInputIsRefusedByName) {
    try {
        WordFilter({}, {"(unclosed"});
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()).rfind("pattern '(unclosed' is not a valid regular expression: ", 0), 0u)
            << e.what();
    }
    EXPECT_THROW(WordFilter({"ba\xFF"}, {}), std::invalid_argument);
}

TEST(WordFilter, EmptyFilterFindsNothing) {
    WordFilter f({}, {});
    EXPECT_TRUE(f.empty());
    EXPECT_TRUE(f.find("anything").empty());
    EXPECT_EQ(WordFilter::mask("abc", {}), "abc");
}

}  // namespace
}  // namespace chatd::plugins::filter
