// The control socket's wire format and the dispatcher: every malformed
// request is an error answer naming what is wrong; handlers cannot crash it.
#include <gtest/gtest.h>

#include "control/control_protocol.h"
#include "control/dispatcher.h"
#include "json/json_reader.h"

namespace chatd::control {
namespace {

std::string codeOf(const std::variant<Request, ProtocolError>& parsed) {
    const auto* error = std::get_if<ProtocolError>(&parsed);
    return error ? error->code : "";
}

TEST(ControlProtocol, ParsesCommandAndArgs) {
    const auto parsed = parseRequest(R"({"cmd":"disconnect","args":{"session":"7"}})");
    const auto& request = std::get<Request>(parsed);
    EXPECT_EQ(request.cmd, "disconnect");
    EXPECT_EQ(*request.args.find("session")->asString(), "7");
    EXPECT_TRUE(std::get<Request>(parseRequest(R"({"cmd":"status"})")).args.isObject());
}

TEST(ControlProtocol, MalformedRequests) {
    for (const char* line : {"", "status", "[]", "\"status\"", R"({"cmd":1})", R"({"args":{}})",
                             R"({"cmd":"status","args":[]})", R"({"cmd":"status","extra":1})",
                             R"({"cmd":"status","cmd":"plugins"})", "{\"cmd\":\"\xc3\"}"})
        EXPECT_EQ(codeOf(parseRequest(line)), "bad_request") << line;
}

TEST(ControlProtocol, AnswersAreOneJsonLine) {
    EXPECT_EQ(okAnswer(R"({"a":1})"), "{\"ok\":true,\"result\":{\"a\":1}}\n");
    EXPECT_EQ(errorAnswer("not_found", "no \"x\""),
              "{\"ok\":false,\"error\":{\"code\":\"not_found\",\"message\":\"no \\\"x\\\"\"}}\n");
    EXPECT_EQ(requestLine("status", "{}"), "{\"cmd\":\"status\",\"args\":{}}\n");
}

json::Value answerOf(const Dispatcher& dispatcher, std::string_view line) {
    std::string error;
    const std::string answer = dispatcher.answer(line, Caller{"test"});
    EXPECT_EQ(answer.back(), '\n');
    auto value = json::parse(std::string_view(answer).substr(0, answer.size() - 1), error);
    EXPECT_TRUE(value) << answer;
    return value ? *value : json::Value();
}

std::string errorCode(const json::Value& answer) { return *answer.find("error")->find("code")->asString(); }

TEST(Dispatcher, RoutesByNameAndContainsFailures) {
    Dispatcher dispatcher;
    dispatcher.add("echo", [](const json::Value& args, const Caller&) {
        return Outcome::success("\"" + stringArg(args, "text").value_or("none") + "\"");
    });
    dispatcher.add("fail", [](const json::Value&, const Caller&) { return Outcome::failure("not_found", "nope"); });
    dispatcher.add("throw", [](const json::Value&, const Caller&) -> Outcome { throw std::runtime_error("boom"); });
    dispatcher.add("throw_int", [](const json::Value&, const Caller&) -> Outcome { throw 7; });

    EXPECT_EQ(*answerOf(dispatcher, R"({"cmd":"echo","args":{"text":"hi"}})").find("result")->asString(), "hi");
    EXPECT_EQ(*answerOf(dispatcher, R"({"cmd":"echo"})").find("result")->asString(), "none");
    EXPECT_EQ(errorCode(answerOf(dispatcher, R"({"cmd":"echo","args":{"text":1}})")), "bad_args");
    EXPECT_EQ(errorCode(answerOf(dispatcher, R"({"cmd":"fail"})")), "not_found");
    EXPECT_EQ(errorCode(answerOf(dispatcher, R"({"cmd":"throw"})")), "internal");
    EXPECT_EQ(errorCode(answerOf(dispatcher, R"({"cmd":"throw_int"})")), "internal");
    const json::Value unknown = answerOf(dispatcher, R"({"cmd":"who"})");
    EXPECT_EQ(errorCode(unknown), "unknown_command");
    EXPECT_EQ(*unknown.find("error")->find("message")->asString(),
              "no command 'who' (commands: echo, fail, throw, throw_int)");
    EXPECT_EQ(errorCode(answerOf(dispatcher, "{")), "bad_request");
}

}  // namespace
}  // namespace chatd::control
