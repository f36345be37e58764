// The control socket and chatdctl against the built chatd binary: every
// command, chatdctl's exit statuses (0, 1, 64, 69, 77), who may connect, the
// stale socket a crash leaves, a live one of another instance, and bad lines.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "control_connection.h"
#include "daemon_fixture.h"
#include "json/json_reader.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;

struct CtlRun {
    int code = -1;
    std::string output;  // stdout and stderr
};

// Runs the built chatdctl; as `nobody` (no groups) when `as_nobody`.
CtlRun chatdctl(std::vector<std::string> args, bool as_nobody = false) {
    std::vector<std::string> argv;
    if (as_nobody) argv = {"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"};
    argv.push_back(CHATDCTL_BIN);
    argv.insert(argv.end(), args.begin(), args.end());
    auto [code, output] = runToExit(argv);
    return {code, std::move(output)};
}

json::Value parseJson(const std::string& text) {
    std::string error;
    auto value = json::parse(text.substr(0, text.find('\n')), error);
    if (!value) throw std::runtime_error("not JSON (" + error + "): " + text);
    return std::move(*value);
}

// A daemon whose control socket is `<dir>/ctl.sock`.
struct ControlledDaemon {
    ControlledDaemon(const std::string& extra, const TempDir& dir)
        : socket((dir.path() / "ctl.sock").string()),
          daemon(testYaml("control:\n  socket: " + socket + "\n" + extra)) {}
    CtlRun ctl(std::vector<std::string> args, bool as_nobody = false) const {
        args.insert(args.begin(), "--socket=" + socket);
        return chatdctl(std::move(args), as_nobody);
    }
    std::string socket;
    Daemon daemon;
};

TEST(Chatdctl, StatusPluginsAndDisconnect) {
    TempDir dir;
    ControlledDaemon chatd("plugins:\n  - name: filter\n    config:\n      words: [darn]\n", dir);
    auto ann = WsClient::connect(chatd.daemon.port());
    ann->sendText(R"({"type":"join","nick":"ann","room":"ops"})");
    const std::string session = str(ann->waitFor("welcome"), "session");
    ann->sendText(R"({"type":"message","text":"hello"})");
    ann->waitFor("message");

    CtlRun run = chatd.ctl({"status"});
    EXPECT_EQ(run.code, 0) << run.output;
    for (const char* row : {"version      0.1.0", "connections  1", "rooms        1", "bus          memory",
                            "plugins      filter"})
        EXPECT_NE(run.output.find(row), std::string::npos) << row << "\n" << run.output;
    EXPECT_NE(run.output.find("1 messages written, 0 write errors"), std::string::npos) << run.output;
    run = chatd.ctl({"--json", "status"});
    EXPECT_EQ(run.code, 0);
    const json::Value status = parseJson(run.output);
    EXPECT_EQ(status.find("result")->find("connections")->asUint(), 1u);
    // The history store: ann's message was written (status shows the same figures as /metrics).
    const json::Value* store = status.find("result")->find("history");
    ASSERT_TRUE(store && store->isObject()) << run.output;
    EXPECT_EQ(store->find("messages_written")->asUint(), 1u);
    EXPECT_EQ(store->find("write_errors")->asUint(), 0u);
    EXPECT_GT(*store->find("bytes")->asUint(), 0u);
    EXPECT_NE(str(*store, "path").find("history.db"), std::string::npos);

    run = chatd.ctl({"plugins"});
    EXPECT_EQ(run.code, 0);
    EXPECT_NE(run.output.find("PLUGIN  CONTINUE  DROP  REJECT  ERRORS"), std::string::npos) << run.output;
    run = chatd.ctl({"--json", "plugins"});
    const json::Value plugins = parseJson(run.output);
    const json::Value& filter = plugins.find("result")->find("plugins")->asArray()->at(0);
    EXPECT_EQ(str(filter, "name"), "filter");
    EXPECT_EQ(filter.find("verdicts")->find("continue")->asUint(), 1u);

    run = chatd.ctl({"disconnect", session, "--reason", "take a break"});
    EXPECT_EQ(run.code, 0) << run.output;
    EXPECT_NE(run.output.find("session " + session + " disconnected (4000 \"take a break\")"), std::string::npos)
        << run.output;
    std::optional<Frame> frame;
    while ((frame = ann->receive(5s)) && frame->opcode != ws::Opcode::Close) {
    }
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->close_code, 4000);
    EXPECT_EQ(frame->close_reason, "take a break");
    ASSERT_TRUE(chatd.daemon.process().waitForOutput("session " + session + " disconnected .* by uid 0", 10s));

    run = chatd.ctl({"disconnect", session});  // gone now
    EXPECT_EQ(run.code, 1) << run.output;
    EXPECT_NE(run.output.find("no session " + session), std::string::npos) << run.output;
}

TEST(Chatdctl, ReloadAppliesOrIsRefusedWithTheReason) {
    TempDir dir;
    const std::string control = "control:\n  socket: " + (dir.path() / "ctl.sock").string() + "\n";
    ControlledDaemon chatd("", dir);
    chatd.daemon.rewriteConfig(testYaml(control + "chat:\n  history_size: 7\n"));
    CtlRun run = chatd.ctl({"reload"});
    EXPECT_EQ(run.code, 0) << run.output;
    EXPECT_NE(run.output.find("reload applied; changed: chat"), std::string::npos) << run.output;
    // The same transaction as SIGHUP: its log lines, systemd's RELOADING/READY.
    ASSERT_TRUE(chatd.daemon.process().waitForOutput("control socket: reloading ", 10s));
    ASSERT_TRUE(chatd.daemon.process().waitForOutput("reload applied \\(changed: chat\\)", 10s));

    chatd.daemon.rewriteConfig(testYaml(control + "chat:\n  history_size: [broken\n"));
    run = chatd.ctl({"reload"});
    EXPECT_EQ(run.code, 1) << run.output;
    EXPECT_NE(run.output.find("reload refused"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("chatd.yaml:"), std::string::npos) << run.output;  // file:line of the error
    EXPECT_EQ(chatd.ctl({"status"}).code, 0);                                 // still serving

    chatd.daemon.rewriteConfig(testYaml(control + "plugins:\n  - name: no-such-plugin\n"));
    run = chatd.ctl({"--json", "reload"});
    EXPECT_EQ(run.code, 1);
    const json::Value answer = parseJson(run.output);
    EXPECT_EQ(str(*answer.find("error"), "code"), "refused");
    EXPECT_NE(str(*answer.find("error"), "message").find("no-such-plugin"), std::string::npos);
}

TEST(Chatdctl, ExitStatuses) {
    TempDir dir;
    ControlledDaemon chatd("", dir);
    EXPECT_EQ(chatdctl({}).code, 64);
    EXPECT_EQ(chatdctl({"frobnicate"}).code, 64);
    EXPECT_EQ(chatdctl({"disconnect"}).code, 64);
    EXPECT_EQ(chatdctl({"status", "--reason", "x"}).code, 64);
    CtlRun run = chatdctl({"--help"});
    EXPECT_EQ(run.code, 0);
    EXPECT_NE(run.output.find("disconnect NICK|SESSION"), std::string::npos);

    run = chatdctl({"--socket", (dir.path() / "nothing.sock").string(), "status"});
    EXPECT_EQ(run.code, 69) << run.output;
    run = chatdctl({"status"}, false);  // CHATD_CONTROL_SOCKET unset: /run/chatd/control.sock, absent here
    if (!std::filesystem::exists("/run/chatd/control.sock")) {
        EXPECT_EQ(run.code, 69) << run.output;
    }

    if (::geteuid() != 0) GTEST_SKIP() << "the permission cases run chatdctl as nobody (needs root)";
    std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));
    struct stat info {};
    ASSERT_EQ(::stat(chatd.socket.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0660u);
    run = chatd.ctl({"status"}, true);  // the kernel refuses connect(): EACCES
    EXPECT_EQ(run.code, 77) << run.output;
    EXPECT_NE(run.output.find("Permission denied"), std::string::npos) << run.output;

    // A file mode loosened by hand admits nobody; the daemon still refuses it.
    ASSERT_EQ(::chmod(chatd.socket.c_str(), 0666), 0);
    run = chatd.ctl({"status"}, true);
    EXPECT_EQ(run.code, 77) << run.output;
    ASSERT_TRUE(chatd.daemon.process().waitForOutput("control socket: refused uid 65534", 10s));
    EXPECT_EQ(chatd.ctl({"status"}).code, 0);  // root still served
}

TEST(ControlSocket, AStaleSocketIsReplacedALiveOneIsNotStolen) {
    TempDir dir;
    const std::string socket = (dir.path() / "ctl.sock").string();
    makeStaleSocket(socket);
    ControlledDaemon first("", dir);
    ASSERT_TRUE(first.daemon.process().waitForOutput("replacing a stale socket", 10s));
    EXPECT_EQ(first.ctl({"status"}).code, 0);

    const std::string config = dir.write("second.yaml", testYaml("control:\n  socket: " + socket + "\n"));
    auto [code, out] = runChatd({"--config=" + config});
    EXPECT_EQ(code, 1) << out;
    EXPECT_NE(out.find("is served by another process"), std::string::npos) << out;
    const CtlRun after = first.ctl({"status"});
    EXPECT_EQ(after.code, 0) << after.output;  // the first instance's socket is still its own
}

TEST(ControlSocket, BadLinesAreAnsweredAndTheDaemonKeepsServing) {
    TempDir dir;
    ControlledDaemon chatd("", dir);
    ControlConnection connection(chatd.socket);
    const auto errorCode = [](const std::string& answer) { return str(*parseJson(answer).find("error"), "code"); };
    EXPECT_EQ(errorCode(connection.ask("this is not json")), "bad_request");
    EXPECT_EQ(errorCode(connection.ask("[1,2]")), "bad_request");
    EXPECT_EQ(errorCode(connection.ask(R"({"cmd":"status","args":7})")), "bad_request");
    EXPECT_EQ(errorCode(connection.ask("{\"cmd\":\"\xff\"}")), "bad_request");
    EXPECT_EQ(errorCode(connection.ask(R"({"cmd":"frobnicate"})")), "unknown_command");
    EXPECT_EQ(errorCode(connection.ask(R"({"cmd":"disconnect","args":{"session":5}})")), "bad_args");
    // The same connection goes on.
    EXPECT_TRUE(parseJson(connection.ask(R"({"cmd":"status"})")).find("ok")->asBool());

    ControlConnection flooder(chatd.socket);
    flooder.send(std::string(200 * 1024, 'x'));  // no newline, over the 64 KiB line limit
    const auto answer = flooder.readLine();
    ASSERT_TRUE(answer);
    EXPECT_EQ(errorCode(*answer), "too_long");
    EXPECT_TRUE(flooder.waitClosed(10s));
    EXPECT_EQ(chatd.ctl({"status"}).code, 0);
}

}  // namespace
}  // namespace chatd::testing
