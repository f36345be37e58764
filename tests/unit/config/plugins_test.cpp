// The plugins: list: valid entries in order, and every rule of an entry.
#include "test_helpers.h"

namespace chatd::config {
namespace {

using test::allErrors;
using test::loadValid;
using test::onlyError;

TEST(Plugins, EntriesKeepTheirOrderAndSettings) {
    Config config = loadValid(
        "plugins:\n"
        "  - name: profanity\n"
        "    path: /opt/chatd/profanity.so\n"
        "    on_error: drop\n"
        "    config:\n"
        "      words: [darn, heck]\n"
        "      mask: '*'\n"
        "  - name: echo-2\n"
        "  - name: rate_limit\n"
        "    path: rate.so\n"
        "    on_error: continue\n"
        "    config: 5\n");
    ASSERT_EQ(config.plugins.size(), 3u);
    const PluginEntry& profanity = config.plugins[0];
    EXPECT_EQ(profanity.name, "profanity");
    EXPECT_EQ(profanity.path, "/opt/chatd/profanity.so");
    EXPECT_EQ(profanity.on_error, OnError::Drop);
    ASSERT_TRUE(profanity.config.IsMap());
    EXPECT_EQ(profanity.config["words"][1].as<std::string>(), "heck");
    EXPECT_EQ(profanity.config["mask"].as<std::string>(), "*");

    const PluginEntry& echo = config.plugins[1];
    EXPECT_EQ(echo.name, "echo-2");
    EXPECT_EQ(echo.path, "");  // the host uses <plugin_dir>/echo-2.so
    EXPECT_EQ(echo.on_error, OnError::Continue);
    EXPECT_TRUE(echo.config.IsNull());

    EXPECT_EQ(config.plugins[2].path, "rate.so");  // kept as written; relative to plugin_dir
    EXPECT_EQ(config.plugins[2].on_error, OnError::Continue);
    EXPECT_EQ(config.plugins[2].config.as<int>(), 5);
}

TEST(Plugins, EmptyListAndEmptyValue) {
    EXPECT_TRUE(loadValid("plugins: []\n").plugins.empty());
    EXPECT_TRUE(loadValid("plugins:\n").plugins.empty());
}

TEST(Plugins, EachRuleOfAnEntry) {
    EXPECT_EQ(onlyError("plugins: profanity\n").format(), "test.yaml:1:10: plugins: expected a list, got 'profanity'");
    EXPECT_EQ(onlyError("plugins:\n  - profanity\n").format(),
              "test.yaml:2:5: plugins[0]: expected a mapping such as '- name: my_plugin', got 'profanity'");
    EXPECT_EQ(onlyError("plugins:\n  - path: x.so\n").format(),
              "test.yaml:2:5: plugins[0]: missing required key 'name'");
    EXPECT_EQ(onlyError("plugins:\n  - name: a.b\n").format(),
              "test.yaml:2:11: plugins[0].name: a plugin name is ASCII letters, digits, _ and -, got 'a.b'");
    EXPECT_EQ(onlyError("plugins:\n  - name: ''\n").format(), "test.yaml:2:11: plugins[0].name: must not be empty");
    EXPECT_EQ(onlyError("plugins:\n  - name: [a]\n").format(),
              "test.yaml:2:11: plugins[0].name: expected a string, got a list");
    EXPECT_EQ(onlyError("plugins:\n  - name: a\n  - name: a\n").format(),
              "test.yaml:3:11: plugins[1].name: duplicate plugin name 'a' (first given on line 2)");
    EXPECT_EQ(onlyError("plugins:\n  - name: a\n  - name: b\n    on_error: ignore\n").format(),
              "test.yaml:4:15: plugins[1].on_error: expected one of continue|drop, got 'ignore'");
    EXPECT_EQ(onlyError("plugins:\n  - name: a\n    on_error: dorp\n").format(),
              "test.yaml:3:15: plugins[0].on_error: expected one of continue|drop, got 'dorp'; did you mean 'drop'?");
    EXPECT_EQ(onlyError("plugins:\n  - name: a\n    path: ''\n").format(),
              "test.yaml:3:11: plugins[0].path: must not be empty");
    EXPECT_EQ(onlyError("plugins:\n  - name: a\n    paht: a.so\n").format(),
              "test.yaml:3:5: plugins[0].paht: unknown key 'paht'; did you mean 'path'?");
}

TEST(Plugins, ErrorsOfSeveralEntriesAreAllReported) {
    LoadResult result = loadFromString(
        "plugins:\n"
        "  - name: good\n"
        "  - name: bad name\n"
        "    on_error: never\n"
        "  - {path: x.so}\n",
        "p.yaml");
    EXPECT_EQ(allErrors(result),
              "p.yaml:3:11: plugins[1].name: a plugin name is ASCII letters, digits, _ and -, got 'bad name'\n"
              "p.yaml:4:15: plugins[1].on_error: expected one of continue|drop, got 'never'\n"
              "p.yaml:5:5: plugins[2]: missing required key 'name'\n");
}

}  // namespace
}  // namespace chatd::config
