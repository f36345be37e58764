// Loader tests: every way a plugin can fail to load gives its one-line error
// naming the plugin, its file and the cause; a failed build tears down what it
// had already loaded; paths resolve against plugin_dir.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "test_support.h"

namespace chatd::plugin_host {
namespace {

using namespace testing;

std::string at(const std::string& file) { return kTestPluginDir + "/" + file; }

TEST(PipelineLoad, MissingFile) {
    EXPECT_EQ(buildError({entry("nothere")}), "plugin 'nothere' (" + at("nothere.so") + "): file not found");
    EXPECT_EQ(buildError({entry("x", "~", "sub/dir/x.so")}), "plugin 'x' (" + at("sub/dir/x.so") + "): file not found");
}

TEST(PipelineLoad, NotAChatdPlugin) {
    EXPECT_EQ(buildError({entry("no_entry")}),
              "plugin 'no_entry' (" + at("no_entry.so") + "): not a chatd plugin (no chatd_plugin_entry symbol)");
}

TEST(PipelineLoad, AbiTheDaemonCannotServeNamesBothVersions) {
    EXPECT_EQ(buildError({entry("wrong_abi")}),
              "plugin 'wrong_abi' (" + at("wrong_abi.so") +
                  "): plugin ABI 2 is not supported (this chatd serves plugin ABI 1)");
}

TEST(PipelineLoad, UndefinedSymbolIsRefusedAtLoad) {
    const std::string path = at("undefined_symbol.so");
    EXPECT_EQ(buildError({entry("undefined_symbol")}),
              "plugin 'undefined_symbol' (" + path + "): cannot load: " + path +
                  ": undefined symbol: chatd_test_function_that_does_not_exist");
}

TEST(PipelineLoad, InitFailureCarriesThePluginsMessage) {
    EXPECT_EQ(buildError({entry("init_fails")}),
              "plugin 'init_fails' (" + at("init_fails.so") + "): init failed: the config needs a 'token' key");
    EXPECT_EQ(buildError({probe("p", "{fail_init: 'rate must be > 0'}")}),
              "plugin 'p' (" + at("probe.so") + "): init failed: rate must be > 0");
    EXPECT_EQ(
        buildError({probe("p", "{colour: red}")})
            .rfind("plugin 'p' (" + at("probe.so") + "): init failed: unknown key 'colour' (known keys: append,", 0),
        0u);
}

TEST(PipelineLoad, InvalidFunctionTable) {
    EXPECT_EQ(buildError({entry("bad_table")}),
              "plugin 'bad_table' (" + at("bad_table.so") + "): invalid plugin table: no init hook");
}

TEST(PipelineLoad, NotASharedObject) {
    std::string dir = ::testing::TempDir();
    if (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    const std::string text_file = dir + "/plain_text.so";
    std::ofstream(text_file) << std::string(200, '#') << "\n";
    const std::string error = buildError({entry("plain_text")}, dir);
    EXPECT_EQ(error.rfind("plugin 'plain_text' (" + text_file + "): cannot load: " + text_file + ": ", 0), 0u) << error;
    std::remove(text_file.c_str());

    EXPECT_EQ(buildError({entry("d", "~", kTestPluginDir)}), "plugin 'd' (" + kTestPluginDir + "): not a regular file");
}

TEST(PipelineLoad, DuplicateNamesAreRefused) {
    EXPECT_EQ(buildError({probe("same"), probe("same")}),
              "plugin 'same' (" + at("probe.so") + "): listed twice; give each entry its own name");
}

TEST(PipelineLoad, FailureTearsDownWhatWasLoaded) {
    LogCapture log;
    EXPECT_NE(buildError({probe("first"), probe("second"), entry("init_fails")}), "");
    const auto lines = log.lines();
    const auto first = std::find(lines.begin(), lines.end(), "[first] info: shutdown after 0 message(s)");
    const auto second = std::find(lines.begin(), lines.end(), "[second] info: shutdown after 0 message(s)");
    ASSERT_NE(first, lines.end());
    ASSERT_NE(second, lines.end());
    EXPECT_LT(second, first);  // reverse order
}

TEST(PipelineLoad, PathsResolveAgainstPluginDir) {
    EXPECT_EQ(Pipeline::resolvePath(entry("f"), "/usr/lib/chatd/plugins"), "/usr/lib/chatd/plugins/f.so");
    EXPECT_EQ(Pipeline::resolvePath(entry("f", "~", "custom/g.so"), "/opt/p"), "/opt/p/custom/g.so");
    EXPECT_EQ(Pipeline::resolvePath(entry("f", "~", "/abs/h.so"), "/opt/p"), "/abs/h.so");
    EXPECT_EQ(Pipeline::resolvePath(entry("f"), "rel"), "rel/f.so");
    EXPECT_EQ(Pipeline::resolvePath(entry("f"), ""), "./f.so");  // never a bare name: dlopen would search
}

TEST(PipelineLoad, EmptyListBuildsAnEmptyPipeline) {
    auto pipeline = mustBuild({});
    EXPECT_TRUE(pipeline->empty());
    auto msg = message("hi");
    EXPECT_EQ(pipeline->onMessage(msg).kind, VerdictKind::Continue);
    EXPECT_EQ(msg.text, "hi");
}

TEST(PipelineLoad, PlainCPluginWorks) {
    Replies replies;
    auto pipeline = mustBuild({entry("c_upper", "{greet: true}")}, &replies);
    auto msg = message("Hello, wörld");
    EXPECT_EQ(pipeline->onMessage(msg).kind, VerdictKind::Continue);
    EXPECT_EQ(msg.text, "HELLO, WöRLD");
    pipeline->onJoin({7, "s7", "dev", "bob"});
    ASSERT_EQ(replies.all().size(), 1u);
    EXPECT_EQ(replies.all()[0].session_id, 7u);
    EXPECT_EQ(replies.all()[0].plugin, "c_upper");
    EXPECT_EQ(replies.all()[0].text, "hi bob");
}

}  // namespace
}  // namespace chatd::plugin_host
