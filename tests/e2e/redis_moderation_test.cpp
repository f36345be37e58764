// The moderation plugin across two chatd instances on one real redis-server:
// `chatdctl ban` on one closes the banned user's connection on the other
// with 4003 (the room on the first sees his leave as "banned") and the other
// then refuses the nick's joins with `banned`; a
// mute set on the other refuses the muted user's messages on the first with
// `muted`; an unban on the first lets the user join the other again.
#include <gtest/gtest.h>

#include "daemon_fixture.h"
#include "redis_server.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;

// An instance on the Redis bus with the moderation plugin and a control socket.
std::string moderatedYaml(const RedisServer& redis, const std::string& socket) {
    return testYaml("bus:\n  type: redis\n  redis:\n    port: " + std::to_string(redis.port()) +
                    "\n    key_prefix: \"moderation:\"\n    timeout: 1s\ncontrol:\n  socket: " + socket +
                    "\nplugins:\n  - name: moderation\n    tick: 200ms\n");
}

// The answer to a join of `nick` into lobby: "welcome" or the error's code.
std::string tryJoin(std::uint16_t port, const std::string& nick) {
    auto client = WsClient::connect(port);
    client->sendText(R"({"type":"join","room":"lobby","nick":")" + nick + R"("})");
    while (true) {
        const json::Value frame = client->receiveJson(10s);
        const std::string type = str(frame, "type");
        if (type == "welcome") return type;
        if (type == "error") return str(frame, "code");
    }
}

std::unique_ptr<WsClient> joined(std::uint16_t port, const std::string& nick) {
    return joinedClient(port, nick, "lobby");
}

// Retries `attempt` until it answers `wanted` or 10 s pass; the last answer.
template <typename Attempt>
std::string eventually(const std::string& wanted, Attempt attempt) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    std::string answer = attempt();
    while (answer != wanted && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50ms);
        answer = attempt();
    }
    return answer;
}

TEST(ScaleOutModeration, BansAndMutesHoldOnEveryInstance) {
    RedisServer redis;
    TempDir dir;
    const std::string socket_a = (dir.path() / "a.sock").string();
    const std::string socket_b = (dir.path() / "b.sock").string();
    Daemon a(moderatedYaml(redis, socket_a));
    Daemon b(moderatedYaml(redis, socket_b));
    ASSERT_TRUE(a.process().waitForOutput("bus: sharing rooms through Redis", 5s));
    ASSERT_TRUE(b.process().waitForOutput("bus: sharing rooms through Redis", 5s));

    // A ban on A closes bob's connection on B with 4003, and carol on A sees
    // him leave as "banned" (through Redis); B refuses his joins.
    auto bob = joined(b.port(), "bob");
    auto carol = joined(a.port(), "carol");
    auto [code, out] = runChatdctl(socket_a, {"ban", "bob", "--reason", "spam"});
    ASSERT_EQ(code, 0) << out;
    EXPECT_EQ(bob->waitClosed(10s), 4003);
    EXPECT_EQ(str(carol->waitForPresence("leave", "bob", 10s), "reason"), "banned");
    EXPECT_EQ(tryJoin(b.port(), "Bob"), "banned");
    std::tie(code, out) = runChatdctl(socket_b, {"bans"});
    EXPECT_NE(out.find("\"reason\":\"spam\""), std::string::npos) << out;

    // A mute on B: eve, on A, is told, and A refuses her messages with `muted`.
    auto eve = joined(a.port(), "eve");
    std::tie(code, out) = runChatdctl(socket_b, {"mute", "eve", "--for", "10m", "--reason", "calm down"});
    ASSERT_EQ(code, 0) << out;
    EXPECT_NE(str(eve->waitFor("notice", 10s), "text").find("muted everywhere until"), std::string::npos);
    eve->sendText(R"({"type":"message","room":"lobby","text":"hello"})");
    const json::Value muted = eve->waitFor("error");
    EXPECT_EQ(str(muted, "code"), "muted");
    EXPECT_NE(str(muted, "reason").find("calm down"), std::string::npos);

    // An unban on A lets bob join B again.
    std::tie(code, out) = runChatdctl(socket_a, {"unban", "bob"});
    ASSERT_EQ(code, 0) << out;
    EXPECT_EQ(eventually("welcome", [&] { return tryJoin(b.port(), "bob"); }), "welcome");
}

TEST(ScaleOutModeration, AnInstanceStartedLaterCatchesUp) {
    RedisServer redis;
    TempDir dir;
    const std::string socket_a = (dir.path() / "a.sock").string();
    Daemon a(moderatedYaml(redis, socket_a));
    ASSERT_TRUE(a.process().waitForOutput("bus: sharing rooms through Redis", 5s));
    auto [code, out] = runChatdctl(socket_a, {"ban", "mallory"});
    ASSERT_EQ(code, 0) << out;

    // B was not running when the ban was set: it asks for the state when it starts.
    Daemon b(moderatedYaml(redis, (dir.path() / "b.sock").string()));
    ASSERT_TRUE(b.process().waitForOutput("bus: sharing rooms through Redis", 5s));
    EXPECT_EQ(eventually("banned", [&] { return tryJoin(b.port(), "mallory"); }), "banned");
}

}  // namespace
}  // namespace chatd::testing
