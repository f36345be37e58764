// Acting plugins and chatdctl across two chatd instances on one real
// redis-server: a timer post reaches the members on both with one seq,
// `chatdctl kick` on one instance removes a member connected to the other,
// `rooms` and `who` on one list the other's members, `disconnect NICK` on
// one closes a client of the other, and without Redis `rooms` and `who`
// still answer with the instance's own view, marked partial.
#include <gtest/gtest.h>

#include "daemon_fixture.h"
#include "json/json_reader.h"
#include "json/json_writer.h"
#include "redis_server.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;

// Instance `name`'s config: the Redis bus, a control socket in `dir`, and
// (on the first one only) the admission test plugin posting into lobby.
std::string instanceYaml(const RedisServer& redis, const TempDir& dir, const std::string& name, bool ticking) {
    std::string yaml = "bus:\n  type: redis\n  redis:\n    port: " + std::to_string(redis.port()) +
                       "\n    key_prefix: \"acting:\"\n    timeout: 1s\ncontrol:\n  socket: " +
                       (dir.path() / (name + ".sock")).string() + "\n";
    if (ticking)
        yaml += "plugins:\n  - name: admission\n    path: " TEST_PLUGIN_DIR "/admission.so\n    tick: 300ms\n"
                "    config:\n      tick_room: lobby\n      tick_from: ticker\n";
    return testYaml(yaml);
}

std::unique_ptr<WsClient> joined(std::uint16_t port, const std::string& nick, const std::string& room = "lobby") {
    return joinedClient(port, nick, room);
}

// The next message from the plugin's ticker.
json::Value nextTick(WsClient& client) {
    json::Value message;
    do message = client.waitFor("message", 5s);
    while (str(message, "from") != "ticker");
    return message;
}

TEST(ScaleOutActing, ATimerPostReachesBothInstancesAndAKickCrossesThem) {
    RedisServer redis;
    TempDir dir;
    Daemon first(instanceYaml(redis, dir, "a", true));
    Daemon second(instanceYaml(redis, dir, "b", false));
    ASSERT_TRUE(first.process().waitForOutput("bus: sharing rooms through Redis", 5s));
    ASSERT_TRUE(second.process().waitForOutput("bus: sharing rooms through Redis", 5s));
    auto alice = joined(first.port(), "alice");
    auto bob = joined(second.port(), "bob");

    // One post, one seq, on both instances, with its origin.
    const json::Value on_first = nextTick(*alice);
    json::Value on_second;
    do on_second = nextTick(*bob);
    while (on_second.find("seq")->asUint() < on_first.find("seq")->asUint());
    EXPECT_EQ(on_second.find("seq")->asUint(), on_first.find("seq")->asUint());
    EXPECT_EQ(str(on_second, "origin"), "plugin");

    // chatdctl on the first instance kicks bob, connected to the second.
    const auto [code, output] =
        runChatdctl((dir.path() / "a.sock").string(), {"kick", "lobby", "bob", "--reason", "across"});
    ASSERT_EQ(code, 0) << output;
    const json::Value kicked = bob->waitFor("kicked");
    EXPECT_EQ(str(kicked, "by"), "admin");
    EXPECT_EQ(str(kicked, "reason"), "across");
    EXPECT_EQ(str(alice->waitForPresence("leave", "bob"), "reason"), "kicked");
}

// `chatdctl --json ARGS` on `socket`: the answer's result (exit status 0 expected).
json::Value ctlResult(const TempDir& dir, const std::string& socket, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    const auto [code, output] = runChatdctl((dir.path() / socket).string(), args);
    EXPECT_EQ(code, 0) << output;
    std::string error;
    auto answer = json::parse(output.substr(0, output.find('\n')), error);
    if (!answer || !answer->find("result")) throw std::runtime_error("not an answer (" + error + "): " + output);
    return *answer->find("result");
}

// The entry of `list` whose `key` is `value`, or nullptr.
const json::Value* entryWith(const json::Value& result, std::string_view list, std::string_view key,
                             std::string_view value) {
    const json::Value* items = result.find(list);
    if (!items || !items->asArray()) return nullptr;
    for (const json::Value& item : *items->asArray())
        if (str(item, key) == value) return &item;
    return nullptr;
}

TEST(ScaleOutActing, RoomsWhoAndDisconnectOnOneInstanceSeeAndReachTheOther) {
    RedisServer redis;
    TempDir dir;
    Daemon first(instanceYaml(redis, dir, "a", false));
    Daemon second(instanceYaml(redis, dir, "b", false));
    ASSERT_TRUE(first.process().waitForOutput("bus: sharing rooms through Redis", 5s));
    ASSERT_TRUE(second.process().waitForOutput("bus: sharing rooms through Redis", 5s));
    auto alice = joined(first.port(), "alice");
    auto bob = joined(second.port(), "bob", "lounge");  // lounge's only member is on the second

    const json::Value on_second = ctlResult(dir, "b.sock", {"who", "lounge"});
    const std::string second_id = str(on_second, "instance");
    ASSERT_FALSE(second_id.empty());
    ASSERT_TRUE(entryWith(on_second, "members", "nick", "bob"));
    EXPECT_FALSE(str(*entryWith(on_second, "members", "nick", "bob"), "session").empty());  // here: every detail

    const json::Value rooms = ctlResult(dir, "a.sock", {"rooms"});
    const json::Value* lounge = entryWith(rooms, "rooms", "room", "lounge");
    ASSERT_TRUE(lounge) << json::write(rooms);
    EXPECT_EQ(uint(*lounge, "members"), 1u);
    EXPECT_EQ(uint(*lounge, "here"), 0u);
    ASSERT_TRUE(entryWith(rooms, "rooms", "room", "lobby"));
    EXPECT_EQ(uint(*entryWith(rooms, "rooms", "room", "lobby"), "here"), 1u);
    EXPECT_FALSE(rooms.find("partial"));

    const json::Value who = ctlResult(dir, "a.sock", {"who", "lounge"});
    const json::Value* remote = entryWith(who, "members", "nick", "bob");
    ASSERT_TRUE(remote) << json::write(who);
    EXPECT_EQ(str(*remote, "instance"), second_id);
    EXPECT_FALSE(remote->find("session"));  // another instance's member: nick and instance only
    const auto [table_code, table] = runChatdctl((dir.path() / "a.sock").string(), {"who", "lounge"});
    EXPECT_EQ(table_code, 0);
    EXPECT_NE(table.find("INSTANCE"), std::string::npos) << table;
    EXPECT_NE(table.find(second_id), std::string::npos) << table;

    // disconnect NICK on the first closes bob, connected to the second.
    const auto [code, output] = runChatdctl((dir.path() / "a.sock").string(),
                                            {"disconnect", "BOB", "--reason", "across instances"});
    ASSERT_EQ(code, 0) << output;
    EXPECT_NE(output.find("1 other instance told"), std::string::npos) << output;
    std::optional<Frame> closed;
    while ((closed = bob->receive(10s)) && closed->opcode != ws::Opcode::Close) {
    }
    ASSERT_TRUE(closed);
    EXPECT_EQ(closed->close_code, 4000);
    EXPECT_EQ(closed->close_reason, "across instances");
    EXPECT_EQ(runChatdctl((dir.path() / "a.sock").string(), {"disconnect", "nobody"}).first, 1);
    alice->sendText(R"({"type":"message","text":"still here"})");
    EXPECT_EQ(str(alice->waitFor("message"), "text"), "still here");
}

TEST(ScaleOutActing, WithoutRedisRoomsAndWhoAnswerWithThisInstancesViewMarkedPartial) {
    RedisServer redis;
    TempDir dir;
    Daemon first(instanceYaml(redis, dir, "a", false));
    ASSERT_TRUE(first.process().waitForOutput("bus: sharing rooms through Redis", 5s));
    auto alice = joined(first.port(), "alice");
    redis.stop();

    const json::Value who = ctlResult(dir, "a.sock", {"who", "lobby"});
    EXPECT_TRUE(who.find("partial") && who.find("partial")->asBool() && *who.find("partial")->asBool());
    EXPECT_FALSE(str(who, "note").empty());
    const json::Value* member = entryWith(who, "members", "nick", "alice");
    ASSERT_TRUE(member) << json::write(who);
    EXPECT_FALSE(str(*member, "session").empty());
    const json::Value rooms = ctlResult(dir, "a.sock", {"rooms"});
    EXPECT_TRUE(rooms.find("partial"));
    ASSERT_TRUE(entryWith(rooms, "rooms", "room", "lobby"));
    const auto [code, table] = runChatdctl((dir.path() / "a.sock").string(), {"who", "lobby"});
    EXPECT_EQ(code, 0);
    EXPECT_NE(table.find("note: this instance's view only"), std::string::npos) << table;
}

}  // namespace
}  // namespace chatd::testing
