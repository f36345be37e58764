// Tests of the filter plugin through the fake host: configuration (inline
// words, words_file, patterns, errors) and the three actions.
#include "filter_plugin.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include <chatd/testing/fake_host.hpp>

namespace chatd::plugins::filter {
namespace {

using sdk::testing::FakeHost;

FakeHost filterWith(const std::string& yaml) {
    FakeHost host = FakeHost::of<FilterPlugin>("filter");
    host.init(yaml);
    return host;
}

TEST(FilterPlugin, MaskIsTheDefaultAction) {
    FakeHost host = filterWith("words: [darn, heck]");
    const auto out = host.send("Darn it, heck!");
    EXPECT_TRUE(out.passed());
    EXPECT_TRUE(out.replaced);
    EXPECT_EQ(out.text, "*** it, ***!");
}

TEST(FilterPlugin, CleanMessagesAreNotTouched) {
    FakeHost host = filterWith("words: [darn]");
    const auto out = host.send("darning socks");
    EXPECT_TRUE(out.passed());
    EXPECT_FALSE(out.replaced);
    EXPECT_EQ(out.text, "darning socks");
}

TEST(FilterPlugin, RejectSendsTheDefaultOrConfiguredReason) {
    FakeHost host = filterWith("{words: [darn], action: reject}");
    auto out = host.send("darn");
    EXPECT_TRUE(out.rejected());
    EXPECT_EQ(out.verdict.code, "rejected");
    EXPECT_EQ(out.verdict.reason, "message blocked by filter");
    EXPECT_FALSE(out.replaced);

    FakeHost custom = filterWith("{words: [darn], action: reject, reason: 'mind your language'}");
    out = custom.send("DARN");
    EXPECT_TRUE(out.rejected());
    EXPECT_EQ(out.verdict.reason, "mind your language");
}

TEST(FilterPlugin, DropDiscardsSilently) {
    FakeHost host = filterWith("{patterns: ['spam+'], action: drop}");
    const auto out = host.send("buy SPAMMM now");
    EXPECT_TRUE(out.dropped());
    EXPECT_TRUE(host.replies().empty());
    EXPECT_TRUE(host.send("buy ham now").passed());
}

TEST(FilterPlugin, WordsComeFromAFileToo) {
    const std::string path = ::testing::TempDir() + "filter_words.txt";
    {
        std::ofstream out(path);
        out << "# banned words\n\nfrak\r\n  gorram  \nshiny day\n";
    }
    FakeHost host = filterWith("{words: darn, words_file: '" + path + "'}");
    EXPECT_EQ(host.send("frak, darn, gorram: shiny day").text, "***, ***, ***: ***");
    EXPECT_EQ(host.send("# banned words").text, "# banned words");
    std::remove(path.c_str());
}

TEST(FilterPlugin, ConfigErrorsNameTheProblem) {
    FakeHost host = FakeHost::of<FilterPlugin>("filter");
    EXPECT_EQ(host.tryInit("{words: [x], action: burn}").value_or(""),
              "key 'action': expected mask, reject or drop, got 'burn'");
    EXPECT_EQ(host.tryInit("{wrods: [x]}").value_or(""),
              "unknown key 'wrods' (known keys: words, words_file, patterns, action, reason)");
    EXPECT_EQ(host.tryInit("{words_file: /nonexistent/words.txt}").value_or(""),
              "words_file '/nonexistent/words.txt' cannot be read");
    EXPECT_EQ(host.tryInit("{words: {a: b}}").value_or(""), "key 'words': expected a list of strings");
    EXPECT_EQ(host.tryInit("{patterns: ['[']}").value_or("").rfind("pattern '[' is not a valid regular expression", 0),
              0u);
}

TEST(FilterPlugin, EmptyConfigWarnsAndPassesEverything) {
    FakeHost host = filterWith("");
    EXPECT_TRUE(host.logged("no words and no patterns configured"));
    EXPECT_TRUE(host.send("anything at all").passed());
}

TEST(FilterPlugin, ReloadAppliesTheNewList) {
    FakeHost host = filterWith("words: [darn]");
    host.reload("words: [heck]");
    EXPECT_EQ(host.send("darn heck").text, "darn ***");
}

TEST(FilterPlugin, MaskedMultibyteTextStaysValidUtf8) {
    FakeHost host = filterWith("{words: ['naïve'], patterns: ['\\xA9']}");
    const auto out = host.send("so naïve, café");
    EXPECT_EQ(out.text, "so ***, caf***");
    EXPECT_FALSE(out.failed);  // the host accepted the replaced text
}

}  // namespace
}  // namespace chatd::plugins::filter
