// Unit tests of the announce plugin, loading the built announce.so into the
// fake host exactly as the daemon would, and driving its timer (tick) and
// its commands (control) by hand: no daemon, no clock, no sleeps.
#include <gtest/gtest.h>

#include <chatd/testing/fake_host.hpp>

#include <string>
#include <vector>

using chatd::sdk::testing::FakeHost;

namespace {

FakeHost loadAnnounce() { return FakeHost::load(ANNOUNCE_PLUGIN_PATH, "announce"); }

// The texts posted into `room`, in order.
std::vector<std::string> postedInto(const FakeHost& host, const std::string& room) {
    std::vector<std::string> texts;
    for (const auto& post : host.posts())
        if (post.room == room) texts.push_back(post.text);
    return texts;
}

constexpr const char* kConfig = "{rooms: [lobby, dev], lines: [one, two, three]}";

TEST(AnnouncePlugin, EachTickPostsTheNextLineIntoEveryRoomRoundRobin) {
    FakeHost host = loadAnnounce();
    host.init(kConfig);
    for (int i = 0; i < 4; ++i) ASSERT_EQ(host.tick(), std::nullopt);
    const std::vector<std::string> expected{"one", "two", "three", "one"};
    EXPECT_EQ(postedInto(host, "lobby"), expected);
    EXPECT_EQ(postedInto(host, "dev"), expected);
    EXPECT_EQ(host.posts().at(0).from, "announce");  // the entry's name by default
    EXPECT_EQ(host.metric("posted", "lobby"), 4.0);
}

TEST(AnnouncePlugin, FromIsConfigurable) {
    FakeHost host = loadAnnounce();
    host.init("{rooms: lobby, lines: [hi], from: bot}");
    host.tick();
    ASSERT_EQ(host.posts().size(), 1u);
    EXPECT_EQ(host.posts()[0].from, "bot");
    EXPECT_EQ(host.posts()[0].text, "hi");
}

TEST(AnnouncePlugin, NowPostsAtOnceAndSaysHowMany) {
    FakeHost host = loadAnnounce();
    host.init(kConfig);
    const auto out = host.control("now");
    ASSERT_FALSE(out.failed) << out.error;
    EXPECT_EQ(out.json, R"({"posted":2})");
    EXPECT_EQ(postedInto(host, "lobby"), std::vector<std::string>{"one"});
    host.tick();  // the round robin goes on from there
    EXPECT_EQ(postedInto(host, "dev"), (std::vector<std::string>{"one", "two"}));
}

TEST(AnnouncePlugin, LinesListsThemAsJson) {
    FakeHost host = loadAnnounce();
    host.init(R"({rooms: [lobby], lines: ["say \"hi\"", "é"]})");
    EXPECT_EQ(host.control("lines").json, R"(["say \"hi\"","é"])");
    EXPECT_TRUE(host.posts().empty());
}

TEST(AnnouncePlugin, UnknownCommandsAndArgumentsAreErrors) {
    FakeHost host = loadAnnounce();
    host.init(kConfig);
    const auto unknown = host.control("later");
    EXPECT_TRUE(unknown.failed);
    EXPECT_EQ(unknown.error, "unknown command 'later' (commands: now, lines)");
    const auto extra = host.control("now", {"please"});
    EXPECT_TRUE(extra.failed);
    EXPECT_EQ(extra.error, "'now' takes no arguments");
    EXPECT_TRUE(host.posts().empty());
}

TEST(AnnouncePlugin, ConfigErrorsAreClear) {
    FakeHost host = loadAnnounce();
    const std::vector<std::pair<std::string, std::string>> cases{
        {"{rooms: [lobby], lines: [a], form: bot}", "unknown key 'form' (known keys: rooms, lines, from)"},
        {"{lines: [a]}", "key 'rooms' is required"},
        {"{rooms: [lobby]}", "key 'lines' is required"},
        {"{rooms: [], lines: [a]}", "key 'rooms' must list at least one room"},
        {"{rooms: [lobby], lines: []}", "key 'lines' must list at least one line"},
        {"{rooms: [lobby], lines: [a, '']}", "key 'lines': line 2 is empty"},
        {"{rooms: [lobby, ''], lines: [a]}", "key 'rooms': room 2 is empty"},
        {"{rooms: [lobby], lines: [a], from: ''}", "key 'from' must not be empty"},
        {"{rooms: [lobby], lines: [[a]]}", "key 'lines': expected a list of strings"},
        {"", "key 'rooms' is required"},
    };
    for (const auto& [yaml, error] : cases) EXPECT_EQ(host.tryInit(yaml).value_or("(accepted)"), error) << yaml;
}

TEST(AnnouncePlugin, ReloadGoesOnWithTheNextLine) {
    FakeHost host = loadAnnounce();
    host.init(kConfig);
    host.tick();
    host.reload("{rooms: [lobby], lines: [one, two, three, four]}");
    host.tick();
    EXPECT_EQ(postedInto(host, "lobby"), (std::vector<std::string>{"one", "two"}));
}

TEST(AnnouncePlugin, ARefusedPostIsLoggedAndCounted) {
    FakeHost host = loadAnnounce();
    host.init(kConfig);
    host.refusePosts();  // as when the daemon's post rate is exceeded
    EXPECT_EQ(host.control("now").json, R"({"posted":0})");
    EXPECT_TRUE(host.logged("could not post into 'lobby'"));
    EXPECT_EQ(host.metric("refused", "dev"), 1.0);
    EXPECT_EQ(host.metric("posted", "dev"), std::nullopt);
}

TEST(AnnouncePlugin, RefusesToStartOnAnOlderDaemon) {
    FakeHost host = loadAnnounce();
    host.emulateChatd01();
    EXPECT_EQ(host.tryInit(kConfig).value_or("(accepted)"), "needs chatd 0.2 or newer (it posts)");
}

}  // namespace
