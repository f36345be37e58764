// Plugins that decide and act, and the chatdctl commands about rooms and
// people, against the built chatd binary: a plugin refuses a connection
// (403) and a join (forbidden), posts from its timer (origin plugin, with a
// seq), kicks a member; chatdctl rooms, who, say, kick, disconnect by nick
// and plugin, with their exit statuses.
#include <gtest/gtest.h>

#include "daemon_fixture.h"
#include "json/json_reader.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;

const std::string kPlugins = std::string("websocket:\n  allowed_origins: [\"*\"]\nplugins:\n") +
                             "  - name: admission\n"
                             "    path: " TEST_PLUGIN_DIR "/admission.so\n"
                             "    tick: 200ms\n"
                             "    config:\n"
                             "      refuse_word: evil\n"
                             "      refuse_room: vault\n"
                             "      reason: not here\n"
                             "      tick_room: news\n"
                             "      tick_from: ticker\n"
                             "  - name: actor\n"
                             "    path: " TEST_PLUGIN_DIR "/actor.so\n";

struct ActingDaemon {
    explicit ActingDaemon(const TempDir& dir)
        : socket((dir.path() / "ctl.sock").string()), daemon(testYaml("control:\n  socket: " + socket + "\n" + kPlugins)) {}
    // Runs chatdctl against this daemon: {exit code, output}.
    std::pair<int, std::string> ctl(std::vector<std::string> args) const { return runChatdctl(socket, std::move(args)); }
    std::string socket;
    Daemon daemon;
};

std::unique_ptr<WsClient> joined(std::uint16_t port, const std::string& room, const std::string& nick) {
    return joinedClient(port, nick, room);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(ActingPlugins, RefuseAConnectionAndAJoinPostOnTheTimerAndKick) {
    TempDir dir;
    ActingDaemon chatd(dir);
    const std::uint16_t port = chatd.daemon.port();

    // on_connect: 403 with the plugin's reason; other connections are served.
    WsOptions evil;
    evil.origin = "http://evil.example";  // allowed by allowed_origins, refused by the plugin
    const auto refused = WsClient::handshake(port, evil);
    EXPECT_EQ(refused.status, 403) << refused.head;
    EXPECT_TRUE(chatd.daemon.process().waitForOutput("403.*not here", 10s));  // the reason, logged (and the body)

    // on_join_request: error forbidden, the session stays usable.
    auto ann = WsClient::connect(port);
    ann->sendText(R"({"type":"join","room":"vault","nick":"ann","id":"j1"})");
    const json::Value error = ann->waitFor("error");
    EXPECT_EQ(str(error, "code"), "forbidden");
    EXPECT_EQ(str(error, "reason"), "not here");
    ann->sendText(R"({"type":"join","room":"news","nick":"ann"})");
    ann->waitFor("welcome");

    // on_tick posts: every member gets it with a seq and origin "plugin".
    auto bob = joined(port, "news", "bob");
    for (auto* client : {ann.get(), bob.get()}) {
        json::Value posted;
        do posted = client->waitFor("message", 5s);
        while (str(posted, "from") != "ticker");
        EXPECT_EQ(str(posted, "origin"), "plugin");
        EXPECT_EQ(str(posted, "text"), "tick");
        EXPECT_GT(*posted.find("seq")->asUint(), 0u);
    }

    // A plugin kicks: the kicked member is told, the room sees a leave with reason.
    bob->sendText(R"({"type":"message","text":"kick me"})");
    const json::Value kicked = bob->waitFor("kicked");
    EXPECT_EQ(str(kicked, "room"), "news");
    EXPECT_EQ(str(kicked, "by"), "admission");
    const json::Value leave = ann->waitForPresence("leave", "bob");
    EXPECT_EQ(str(leave, "reason"), "kicked");
    bob->sendText(R"({"type":"join","room":"news","nick":"bob"})");  // it may come back
    bob->waitFor("welcome");
}

TEST(ActingPlugins, ChatdctlRoomsWhoSayKickDisconnectAndPluginCommands) {
    TempDir dir;
    ActingDaemon chatd(dir);
    const std::uint16_t port = chatd.daemon.port();
    auto ann = joined(port, "ops", "ann");
    auto bob = joined(port, "ops", "bob");

    auto [code, out] = chatd.ctl({"rooms"});
    EXPECT_EQ(code, 0) << out;
    EXPECT_TRUE(contains(out, "ops   2")) << out;
    std::tie(code, out) = chatd.ctl({"who", "ops"});
    EXPECT_EQ(code, 0) << out;
    EXPECT_TRUE(contains(out, "NICK") && contains(out, "ann") && contains(out, "bob") && contains(out, "json"))
        << out;
    EXPECT_EQ(chatd.ctl({"who", "nowhere"}).first, 1);
    EXPECT_EQ(chatd.ctl({"who"}).first, 64);

    // say: origin admin, `from` as given, a seq like any message.
    std::tie(code, out) = chatd.ctl({"say", "ops", "maintenance", "at", "noon", "--from", "ops-team"});
    EXPECT_EQ(code, 0) << out;
    json::Value said = ann->waitFor("message");
    EXPECT_EQ(str(said, "text"), "maintenance at noon");
    EXPECT_EQ(str(said, "from"), "ops-team");
    EXPECT_EQ(str(said, "origin"), "admin");
    EXPECT_EQ(chatd.ctl({"say", "ops", "hi", "--from", "not a nick"}).first, 1);

    // kick by nick: bob is told, by admin, with the reason.
    std::tie(code, out) = chatd.ctl({"kick", "ops", "BOB", "--reason", "cool off"});
    EXPECT_EQ(code, 0) << out;
    const json::Value kicked = bob->waitFor("kicked");
    EXPECT_EQ(str(kicked, "by"), "admin");
    EXPECT_EQ(str(kicked, "reason"), "cool off");
    EXPECT_EQ(chatd.ctl({"kick", "ops", "nobody"}).first, 1);

    // disconnect by nick: close 4000 with the reason.
    std::tie(code, out) = chatd.ctl({"disconnect", "ann", "--reason", "bye"});
    EXPECT_EQ(code, 0) << out;
    EXPECT_EQ(ann->waitClosed(5s), std::optional<std::uint16_t>(4000));

    // A plugin's own commands: its JSON answer, or its error (exit 1).
    std::tie(code, out) = chatd.ctl({"--json", "plugin", "actor", "echo", "a", "b c"});
    EXPECT_EQ(code, 0) << out;
    EXPECT_TRUE(contains(out, R"("args":["a","b c"])")) << out;
    std::tie(code, out) = chatd.ctl({"plugin", "actor", "nonsense"});
    EXPECT_EQ(code, 1) << out;
    EXPECT_TRUE(contains(out, "unknown command")) << out;
    std::tie(code, out) = chatd.ctl({"plugin", "admission", "anything"});
    EXPECT_EQ(code, 1) << out;
    std::tie(code, out) = chatd.ctl({"plugin", "no-such", "x"});
    EXPECT_EQ(code, 1) << out;
    EXPECT_EQ(chatd.ctl({"plugin", "actor"}).first, 64);
}

}  // namespace
}  // namespace chatd::testing
