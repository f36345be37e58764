// The daemon's control commands on the in-process server, through a real
// control socket: status and plugins report what clients did, disconnect
// closes a real WebSocket client with 4000, reload runs the transaction it is given.
#include <gtest/gtest.h>

#include <filesystem>

#include "config/config_loader.h"
#include "control/control_server.h"
#include "control/daemon_commands.h"
#include "control_connection.h"
#include "json/json_reader.h"
#include "temp_dir.h"
#include "test_server.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;

json::Value resultOf(ControlConnection& control, std::string_view request) {
    const std::string answer = control.ask(request);
    std::string error;
    auto value = json::parse(answer, error);
    if (!value || !value->find("ok")) throw std::runtime_error("bad answer: " + answer);
    if (!*value->find("ok")->asBool()) throw std::runtime_error("refused: " + answer);
    return *value->find("result");
}

class ControlCommands : public ::testing::Test {
protected:
    void SetUp() override {
        server_ = std::make_unique<TestServer>([](config::Config& c) {
            config::PluginEntry filter;
            filter.name = "filter";
            filter.config = YAML::Load("{words: [darn], action: reject}");
            c.plugins = {filter};
        });
        control::addDaemonCommands(dispatcher_, server_->server(), {"test-version", "test.yaml"}, [this] {
            ++reloads_;
            return server_->server().reload(*server_->server().config());
        });
        control_ = std::make_unique<control::ControlServer>(
            control::ControlSettings{.socket_path = dir_.file("ctl.sock")}, dispatcher_);
        control_->start();
    }
    void TearDown() override {
        control_.reset();
        server_.reset();
    }

    ScratchDir dir_{"chatd-control"};
    std::unique_ptr<TestServer> server_;
    control::Dispatcher dispatcher_;
    std::unique_ptr<control::ControlServer> control_;
    int reloads_ = 0;
};

TEST_F(ControlCommands, StatusPluginsDisconnectReload) {
    auto ann = WsClient::connect(server_->port());
    ann->sendText(R"({"type":"join","nick":"ann","room":"a"})");
    const std::string session = str(ann->waitFor("welcome"), "session");
    auto bob = WsClient::connect(server_->port());
    bob->sendText(R"({"type":"join","nick":"bob","room":"b"})");
    bob->waitFor("welcome");
    ann->sendText(R"({"type":"message","text":"darn"})");
    ann->waitFor("error");

    ControlConnection control(control_->path());
    const json::Value status = resultOf(control, R"({"cmd":"status"})");
    EXPECT_EQ(*status.find("version")->asString(), "test-version");
    EXPECT_EQ(status.find("connections")->asUint(), 2u);
    EXPECT_EQ(status.find("rooms")->asUint(), 2u);
    EXPECT_EQ(*status.find("bus")->asString(), "memory");

    const json::Value plugins = resultOf(control, R"({"cmd":"plugins"})");
    const json::Value& filter = plugins.find("plugins")->asArray()->at(0);
    EXPECT_EQ(filter.find("verdicts")->find("reject")->asUint(), 1u);
    EXPECT_EQ(filter.find("verdicts")->find("continue")->asUint(), 0u);

    resultOf(control, R"({"cmd":"disconnect","args":{"session":")" + session + R"(","reason":"bye"}})");
    std::optional<Frame> frame;
    while ((frame = ann->receive(5s)) && frame->opcode != ws::Opcode::Close) {
    }
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->close_code, 4000);
    EXPECT_EQ(frame->close_reason, "bye");
    const std::string again = control.ask(R"({"cmd":"disconnect","args":{"session":")" + session + R"("}})");
    EXPECT_NE(again.find("\"code\":\"not_found\""), std::string::npos) << again;

    const json::Value reload = resultOf(control, R"({"cmd":"reload"})");
    EXPECT_TRUE(*reload.find("applied")->asBool());
    EXPECT_TRUE(reload.find("changed")->asArray()->empty());
    EXPECT_EQ(reloads_, 1);
    // The verdicts carry on across the reload (the metric's series).
    const json::Value after = resultOf(control, R"({"cmd":"plugins"})");
    EXPECT_EQ(after.find("plugins")->asArray()->at(0).find("verdicts")->find("reject")->asUint(), 1u);
}

}  // namespace
}  // namespace chatd::testing
