// The built chatd binary as operators run it: command line, --check-config,
// start-up errors, SIGHUP reload and SIGTERM shutdown, with real clients.
#include <gtest/gtest.h>

#include <csignal>

#include "daemon_fixture.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

TEST(CommandLine, VersionHelpAndUsageErrors) {
    auto [code, out] = runChatd({"--version"});
    EXPECT_EQ(code, 0);
    EXPECT_NE(out.find("chatd "), std::string::npos);
    EXPECT_NE(out.find("plugin ABI 1"), std::string::npos);

    std::tie(code, out) = runChatd({"--help"});
    EXPECT_EQ(code, 0);
    for (const char* option : {"--config", "--port", "--check-config", "--version"})
        EXPECT_NE(out.find(option), std::string::npos) << option;

    std::tie(code, out) = runChatd({"--port=http"});
    EXPECT_EQ(code, 64);
    EXPECT_NE(out.find("--port"), std::string::npos);
    std::tie(code, out) = runChatd({"--frobnicate"});
    EXPECT_EQ(code, 64);
    EXPECT_NE(out.find("frobnicate"), std::string::npos);
}

TEST(CheckConfig, GoodAndBadFiles) {
    TempDir dir;
    const std::string good = dir.write("good.yaml", testYaml());
    auto [code, out] = runChatd({"--check-config", "--config=" + good});
    EXPECT_EQ(code, 0) << out;
    EXPECT_NE(out.find("configuration OK"), std::string::npos);

    const std::string bad = dir.write("bad.yaml", "listen:\n  prot: 8080\nwebsocket:\n  max_message_bytes: lots\n");
    std::tie(code, out) = runChatd({"--check-config", "--config", bad});
    EXPECT_EQ(code, 78);  // EX_CONFIG, as at start
    // Every error, each with file, line, column and key.
    EXPECT_NE(out.find(bad + ":2:3: listen.prot"), std::string::npos) << out;
    EXPECT_NE(out.find(bad + ":4:22: websocket.max_message_bytes"), std::string::npos) << out;

    std::tie(code, out) = runChatd({"--check-config", "--config=/nonexistent/chatd.yaml"});
    EXPECT_EQ(code, 78);
    EXPECT_NE(out.find("/nonexistent/chatd.yaml"), std::string::npos);
}

TEST(Startup, BadConfigExitsNonZeroWithTheErrors) {
    TempDir dir;
    const std::string bad = dir.write("bad.yaml", "log:\n  level: chatty\n");
    auto [code, out] = runChatd({"--config=" + bad});
    EXPECT_EQ(code, 78);
    EXPECT_NE(out.find(bad + ":2:10: log.level"), std::string::npos) << out;
    EXPECT_EQ(out.find("listening on"), std::string::npos);
}

TEST(Startup, PortInUseIsAClearError) {
    Daemon first(testYaml());
    TempDir dir;
    const std::string config = dir.write("same-port.yaml", testYaml());
    auto [code, out] = runChatd({"--config=" + config, "--port", std::to_string(first.port())});
    EXPECT_EQ(code, 1);
    EXPECT_NE(out.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())), std::string::npos) << out;
}

TEST(Daemon, ChatsReloadsOnSighupAndStopsOnSigterm) {
    Daemon daemon(testYaml());
    auto alice = WsClient::connect(daemon.port());
    alice->sendText(R"({"type":"join","nick":"alice"})");
    alice->waitFor("welcome");
    auto bob = WsClient::connect(daemon.port());
    bob->sendText(R"({"type":"join","nick":"bob"})");
    bob->waitFor("welcome");
    alice->sendText(R"({"type":"message","text":"hello bob"})");
    EXPECT_EQ(str(bob->waitFor("message"), "text"), "hello bob");

    // A good reload applies live: the text limit shrinks for connected clients.
    daemon.rewriteConfig(testYaml("chat:\n  max_text_bytes: 5\n"));
    daemon.process().signal(SIGHUP);
    ASSERT_TRUE(daemon.process().waitForOutput("reload applied", std::chrono::seconds(10)));
    alice->sendText(R"({"type":"message","text":"too long now"})");
    EXPECT_EQ(str(alice->waitFor("error"), "code"), "too_large");

    // A broken one is refused; the old config keeps running.
    daemon.rewriteConfig("chat: [\n");
    daemon.process().signal(SIGHUP);
    ASSERT_TRUE(daemon.process().waitForOutput("reload refused", std::chrono::seconds(10)));
    alice->sendText(R"({"type":"message","text":"short"})");
    EXPECT_EQ(str(bob->waitFor("message"), "text"), "short");

    daemon.process().signal(SIGTERM);
    EXPECT_EQ(alice->waitClosed(), 1001);
    EXPECT_EQ(bob->waitClosed(), 1001);
    EXPECT_EQ(daemon.process().waitExit(std::chrono::seconds(5)), 0);
}

TEST(Daemon, SighupThatAddsABannedWordFiltersTheNextMessage) {
    const auto yaml = [](const std::string& words) {
        return testYaml("plugins:\n  - name: filter\n    config:\n      words: [" + words + "]\n      action: mask\n");
    };
    Daemon daemon(yaml("darn"));
    auto alice = WsClient::connect(daemon.port());
    alice->sendText(R"({"type":"join","nick":"alice"})");
    alice->waitFor("welcome");
    alice->sendText(R"({"type":"message","text":"darn heck"})");
    EXPECT_EQ(str(alice->waitFor("message"), "text"), "*** heck");

    daemon.rewriteConfig(yaml("darn, heck"));
    daemon.process().signal(SIGHUP);
    ASSERT_TRUE(daemon.process().waitForOutput("reload applied", std::chrono::seconds(10)));
    alice->sendText(R"({"type":"message","text":"darn heck"})");
    EXPECT_EQ(str(alice->waitFor("message"), "text"), "*** ***");  // same connection, new pipeline

    // A reload naming a plugin that is not there keeps the running pipeline.
    daemon.rewriteConfig(testYaml("plugins:\n  - name: no-such-plugin\n"));
    daemon.process().signal(SIGHUP);
    ASSERT_TRUE(daemon.process().waitForOutput("reload refused: .*no-such-plugin", std::chrono::seconds(10)));
    alice->sendText(R"({"type":"message","text":"heck"})");
    EXPECT_EQ(str(alice->waitFor("message"), "text"), "***");
}

TEST(Startup, BrokenPluginRefusesToStartAndCheckConfigSaysWhy) {
    TempDir dir;
    const std::string config = dir.write("p.yaml", testYaml("plugins:\n  - name: no-such-plugin\n"));
    // A plugin that cannot load is a configuration error (78: systemd does
    // not restart on it), at start and from --check-config alike.
    auto [code, out] = runChatd({"--config=" + config});
    EXPECT_EQ(code, 78);
    EXPECT_NE(out.find("no-such-plugin"), std::string::npos) << out;
    std::tie(code, out) = runChatd({"--check-config", "--config=" + config});
    EXPECT_EQ(code, 78);
    EXPECT_NE(out.find("no-such-plugin.so"), std::string::npos) << out;
}

TEST(Daemon, PortOptionOverridesTheConfig) {
    Daemon first(testYaml());
    // A second instance "as in the tutorial": same config, another port.
    Daemon second(testYaml(), {"--port", "0"});
    EXPECT_NE(first.port(), second.port());
}

}  // namespace
}  // namespace chatd::testing
