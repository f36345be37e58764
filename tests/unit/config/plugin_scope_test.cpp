// The room scope (`rooms:`) and the timer (`tick:`) of a plugins: entry.
#include "test_helpers.h"

namespace chatd::config {
namespace {

using namespace std::chrono_literals;
using test::loadValid;
using test::onlyError;

TEST(PluginScope, RoomsAndTickAreRead) {
    Config config = loadValid(
        "plugins:\n"
        "  - name: quiz\n"
        "    rooms: [lobby, 'quiz-*', '#*']\n"
        "    tick: 1s\n"
        "  - name: single\n"
        "    rooms: dev\n"
        "  - name: plain\n");
    ASSERT_EQ(config.plugins.size(), 3u);
    EXPECT_EQ(config.plugins[0].rooms, (std::vector<std::string>{"lobby", "quiz-*", "#*"}));
    EXPECT_EQ(config.plugins[0].tick, 1s);
    EXPECT_EQ(config.plugins[1].rooms, (std::vector<std::string>{"dev"}));
    EXPECT_TRUE(config.plugins[2].rooms.empty());  // every room
    EXPECT_EQ(config.plugins[2].tick, 0ms);        // never
}

TEST(PluginScope, BadRoomsAreErrors) {
    EXPECT_EQ(onlyError("plugins:\n  - name: a\n    rooms: ['bad room']\n").format(),
              "test.yaml:3:13: plugins[0].rooms[0]: a rooms entry is a room name (letters, digits, _ - . #) or a "
              "glob with *, got 'bad room'");
    EXPECT_EQ(onlyError("plugins:\n  - name: a\n    rooms: []\n").format(),
              "test.yaml:3:12: plugins[0].rooms: rooms must list at least one room or glob (leave the key out for "
              "every room)");
    EXPECT_EQ(onlyError("plugins:\n  - name: a\n    rooms: {a: b}\n").format(),
              "test.yaml:3:12: plugins[0].rooms: expected a list, got a mapping");
}

TEST(PluginScope, BadTicksAreErrors) {
    EXPECT_EQ(onlyError("plugins:\n  - name: a\n    tick: 10ms\n").format(),
              "test.yaml:3:11: plugins[0].tick: must be between 100ms and 24h, got 10ms");
    EXPECT_EQ(onlyError("plugins:\n  - name: a\n    tick: 5\n").format(),
              "test.yaml:3:11: plugins[0].tick: a duration needs a unit (ms, s, m or h), e.g. '5s'; got '5'");
}

TEST(PluginScope, ChangingRoomsOrTickIsAPluginsChange) {
    Config a = loadValid("plugins:\n  - name: a\n");
    Config b = loadValid("plugins:\n  - name: a\n    tick: 1s\n");
    Config c = loadValid("plugins:\n  - name: a\n    rooms: [x]\n");
    EXPECT_EQ(changedKeys(a, b), (std::vector<std::string>{"plugins"}));
    EXPECT_EQ(changedKeys(a, c), (std::vector<std::string>{"plugins"}));
}

}  // namespace
}  // namespace chatd::config
