// How errors are reported: their printed form, all of them in one run,
// unknown and duplicate keys, YAML syntax errors, empty or odd files.
#include "test_helpers.h"

namespace chatd::config {
namespace {

using test::allErrors;
using test::onlyError;

TEST(Report, FormatLeavesOutWhatIsUnknown) {
    EXPECT_EQ((ConfigError{"f.yaml", 3, 7, "listen.port", "bad"}.format()), "f.yaml:3:7: listen.port: bad");
    EXPECT_EQ((ConfigError{"f.yaml", 0, 0, "listen.port", "bad"}.format()), "f.yaml: listen.port: bad");
    EXPECT_EQ((ConfigError{"f.yaml", 3, 7, "", "bad"}.format()), "f.yaml:3:7: bad");
    EXPECT_EQ((ConfigError{"f.yaml", 0, 0, "", "bad"}.format()), "f.yaml: bad");
}

TEST(Report, EveryErrorIsCollectedInFileOrder) {
    LoadResult result = loadFromString(
        "listen:\n"
        "  prot: 8080\n"
        "  address: ''\n"
        "websocket:\n"
        "  max_message_bytes: 1\n"
        "  ping_interval: 30\n"
        "log:\n"
        "  level: loud\n"
        "colour: blue\n",
        "chatd.yaml");
    EXPECT_FALSE(result.ok());
    EXPECT_FALSE(result.config.has_value());
    EXPECT_EQ(allErrors(result),
              "chatd.yaml:2:3: listen.prot: unknown key 'prot'; did you mean 'port'?\n"
              "chatd.yaml:3:12: listen.address: must not be empty\n"
              "chatd.yaml:5:22: websocket.max_message_bytes: must be between 125 and 67108864 (64MiB), got 1\n"
              "chatd.yaml:6:18: websocket.ping_interval: a duration needs a unit (ms, s, m or h), e.g. '30s'; "
              "got '30'\n"
              "chatd.yaml:8:10: log.level: expected one of trace|debug|info|warn|error|critical|off, got 'loud'\n"
              "chatd.yaml:9:1: colour: unknown key 'colour'\n");
}

TEST(Report, UnknownKeysSuggestTheClosestKnownKey) {
    EXPECT_EQ(onlyError("listen:\n  prot: 1\n").format(),
              "test.yaml:2:3: listen.prot: unknown key 'prot'; did you mean 'port'?");
    EXPECT_EQ(onlyError("websocket:\n  max_mesage_bytes: 1\n").format(),
              "test.yaml:2:3: websocket.max_mesage_bytes: unknown key 'max_mesage_bytes'; "
              "did you mean 'max_message_bytes'?");
    EXPECT_EQ(onlyError("plugin: []\n").format(),
              "test.yaml:1:1: plugin: unknown key 'plugin'; did you mean 'plugins'?");
    EXPECT_EQ(onlyError("log: {levle: info}\n").format(),
              "test.yaml:1:7: log.levle: unknown key 'levle'; did you mean 'level'?");
    // More than two edits away: no suggestion.
    EXPECT_EQ(onlyError("chat:\n  room: lobby\n").format(), "test.yaml:2:3: chat.room: unknown key 'room'");
}

TEST(Report, DuplicateAndNonStringKeys) {
    EXPECT_EQ(onlyError("listen:\n  port: 1\n  port: 2\n").format(),
              "test.yaml:3:3: listen.port: duplicate key 'port' (first given on line 2)");
    EXPECT_EQ(onlyError("log: {}\nlog: {}\n").format(),
              "test.yaml:2:1: log: duplicate key 'log' (first given on line 1)");
    EXPECT_EQ(onlyError("[a]: b\n").format(), "test.yaml:1:1: keys must be plain names, got a list");
    EXPECT_EQ(onlyError("listen:\n  ? {a: b}\n  : c\n").format(),
              "test.yaml:2:5: listen: keys must be plain names, got a mapping");
}

TEST(Report, SyntaxErrorHasTheParsersPosition) {
    EXPECT_EQ(onlyError("listen: {port: 1}\nlog: b\n c: d\n").format(),
              "test.yaml:3:3: YAML syntax error: illegal map value");
    EXPECT_EQ(onlyError("listen:\n  port: [1,\n").format(),
              "test.yaml:3:1: YAML syntax error: end of sequence flow not found");
    // A bare * (meaning "any origin") is a YAML alias: the message says to quote it.
    EXPECT_EQ(onlyError("websocket:\n  allowed_origins:\n    - *\n").format(),
              "test.yaml:3:8: YAML syntax error: alias not found after * (a lone * must be quoted: '*')");
}

TEST(Report, EmptyFilesAreRefused) {
    const std::string message =
        "test.yaml: the file is empty: expected a mapping of settings such as "
        "'listen: {port: 8080}'";
    EXPECT_EQ(onlyError("").format(), message);
    EXPECT_EQ(onlyError("# nothing but a comment\n\n").format(), message);
    EXPECT_EQ(onlyError("---\n").format(), message);
    EXPECT_EQ(onlyError("~\n").format(), message);
}

TEST(Report, TopLevelMustBeAMapping) {
    EXPECT_EQ(onlyError("- listen\n- log\n").format(),
              "test.yaml:1:1: the top level must be a mapping of settings (key: value lines), got a list");
    EXPECT_EQ(onlyError("\nport 8080\n").format(),
              "test.yaml:2:1: the top level must be a mapping of settings (key: value lines), got 'port 8080'");
}

TEST(Report, OnlyOneDocument) {
    EXPECT_EQ(onlyError("log: {level: info}\n---\nlog: {level: warn}\n").format(),
              "test.yaml:3:1: only one YAML document is allowed (remove the '---' line)");
}

}  // namespace
}  // namespace chatd::config
