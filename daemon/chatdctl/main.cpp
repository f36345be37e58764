// chatdctl: asks a running chatd through its control socket
// (docs/operations.md, "The control socket"). Exit status: 0 done, 1 refused
// by the daemon, 64 usage, 69 daemon unreachable, 77 permission denied.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "command_line.h"
#include "control/control_protocol.h"
#include "control_client.h"
#include "human_output.h"
#include "json/json_reader.h"

namespace {

constexpr int kExitRefused = 1;
constexpr int kExitUsage = 64;        // EX_USAGE
constexpr int kExitUnavailable = 69;  // EX_UNAVAILABLE
constexpr int kExitNoPermission = 77;  // EX_NOPERM

// Prints the answer (raw with --json) and returns the exit status it means.
int report(const chatd::ctl::Invocation& invocation, const std::string& answer) {
    using namespace chatd;
    std::string error;
    const auto parsed = json::parse(answer, error);
    const json::Value* ok = parsed ? parsed->find("ok") : nullptr;
    if (!ok || !ok->asBool()) {
        std::cerr << "chatdctl: the daemon's answer is not understood: " << answer << '\n';
        return kExitUnavailable;
    }
    if (invocation.json) std::cout << answer << '\n';
    if (*ok->asBool()) {
        const json::Value* result = parsed->find("result");
        if (!invocation.json) std::cout << ctl::formatResult(invocation.command, result ? *result : json::Value());
        return 0;
    }
    const json::Value* failure = parsed->find("error");
    const json::Value* code = failure ? failure->find("code") : nullptr;
    const json::Value* message = failure ? failure->find("message") : nullptr;
    const std::string code_text = code && code->asString() ? *code->asString() : "";
    if (!invocation.json)
        std::cerr << "chatdctl: " << (message && message->asString() ? *message->asString() : answer) << " ("
                  << code_text << ")\n";
    return code_text == control::error_code::kForbidden ? kExitNoPermission : kExitRefused;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace chatd;
    const std::vector<std::string> arguments(argv + 1, argv + argc);
    const char* env_socket = std::getenv("CHATD_CONTROL_SOCKET");
    const auto parsed = ctl::parseCommandLine(arguments, env_socket ? env_socket : "");
    if (const auto* usage = std::get_if<ctl::UsageError>(&parsed)) {
        std::cerr << "chatdctl: " << usage->message << "\n\n" << ctl::usageText();
        return kExitUsage;
    }
    const auto& invocation = std::get<ctl::Invocation>(parsed);
    if (invocation.help) {
        std::cout << ctl::usageText();
        return 0;
    }
    const auto answer = ctl::exchange(invocation.socket, control::requestLine(invocation.command, invocation.args_json));
    if (const auto* failure = std::get_if<ctl::ClientError>(&answer)) {
        std::cerr << "chatdctl: " << failure->message << '\n';
        return failure->kind == ctl::ConnectFailure::PermissionDenied ? kExitNoPermission : kExitUnavailable;
    }
    return report(invocation, std::get<std::string>(answer));
}
