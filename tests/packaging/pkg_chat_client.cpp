// pkg_chat_client: a scriptable chatd.v1 client for the packaging tests. The
// test script (bash, as a coprocess) keeps named clients connected across
// systemctl reload/stop/upgrade steps and asks for one thing per line:
//
//   connect NAME NICK       connect to 127.0.0.1:PORT, join the default room
//   welcomed-with NAME NICK TEXT...
//                           connect as above; the welcome's history must hold a message TEXT
//   say NAME TEXT...        post TEXT
//   expect NAME TEXT...     wait for a message event whose text is TEXT
//   expect-notice NAME TEXT wait for a notice (a plugin's reply) whose text is TEXT
//   expect-error NAME CODE  wait for an error event with that code
//   join-refused NICK CODE  connect, join as NICK: the answer must be an error CODE (not kept)
//   closed NAME CODE        wait for the server's close frame; check its code
//   drop NAME               close the client's socket
//
// Each command is answered with one line, "ok" or "error: <why>". Every wait
// is bounded by TIMEOUT_S (default 20). Usage: pkg_chat_client PORT [TIMEOUT_S]
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "ws_client.h"

namespace {

using chatd::testing::WsClient;
using Clients = std::map<std::string, std::unique_ptr<WsClient>>;

// The rest of the line after `stream`'s position, without the leading space.
std::string restOfLine(std::istringstream& stream) {
    std::string rest;
    std::getline(stream, rest);
    if (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
    return rest;
}

// A JSON string literal for `text` (quotes and backslashes escaped; the test
// texts are printable ASCII).
std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

WsClient& client(Clients& clients, const std::string& name) {
    auto found = clients.find(name);
    if (found == clients.end()) throw std::runtime_error("no client named '" + name + "'");
    return *found->second;
}

// Runs one command line; throws std::runtime_error with the reason it failed.
void run(Clients& clients, std::uint16_t port, std::chrono::milliseconds timeout, const std::string& line) {
    std::istringstream stream(line);
    std::string verb, name;
    stream >> verb >> name;
    if (verb == "connect" || verb == "welcomed-with") {
        std::string nick;
        stream >> nick;
        auto connected = WsClient::connect(port);
        connected->sendText(R"({"type":"join","nick":)" + quoted(nick) + "}");
        const auto welcome = connected->waitFor("welcome", timeout);
        clients[name] = std::move(connected);
        if (verb == "connect") return;
        const std::string text = restOfLine(stream);
        for (const auto& message : *welcome.find("history")->asArray())
            if (chatd::testing::str(message, "text") == text) return;
        throw std::runtime_error("the welcome's history has no message '" + text + "'");
    } else if (verb == "join-refused") {  // `name` is the nick here
        std::string code;
        stream >> code;
        auto refused = WsClient::connect(port);
        refused->sendText(R"({"type":"join","nick":)" + quoted(name) + "}");
        const std::string got = chatd::testing::str(refused->waitFor("error", timeout), "code");
        if (got != code) throw std::runtime_error("join answered error '" + got + "', expected '" + code + "'");
    } else if (verb == "say") {
        client(clients, name).sendText(R"({"type":"message","text":)" + quoted(restOfLine(stream)) + "}");
    } else if (verb == "expect") {
        const std::string text = restOfLine(stream);
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) throw std::runtime_error("no message '" + text + "' within the timeout");
            const auto message = client(clients, name).waitFor("message", left);
            const std::string got = chatd::testing::str(message, "text");
            if (got == text) return;
            std::cerr << "pkg_chat_client: " << name << " skips message '" << got << "'\n";
        }
    } else if (verb == "expect-notice") {  // a plugin's reply to this client only
        const std::string text = restOfLine(stream);
        const std::string got = chatd::testing::str(client(clients, name).waitFor("notice", timeout), "text");
        if (got != text) throw std::runtime_error("notice '" + got + "', expected '" + text + "'");
    } else if (verb == "expect-error") {
        std::string code;
        stream >> code;
        const std::string got = chatd::testing::str(client(clients, name).waitFor("error", timeout), "code");
        if (got != code) throw std::runtime_error("error code '" + got + "', expected '" + code + "'");
    } else if (verb == "closed") {
        int code = 0;
        stream >> code;
        const auto got = client(clients, name).waitClosed(timeout);
        if (!got) throw std::runtime_error("not closed within the timeout");
        if (*got != code) throw std::runtime_error("closed with " + std::to_string(*got) + ", expected " + std::to_string(code));
        clients.erase(name);
    } else if (verb == "drop") {
        client(clients, name);
        clients.erase(name);
    } else {
        throw std::runtime_error("unknown command '" + verb + "'");
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::cerr << "usage: pkg_chat_client PORT [TIMEOUT_S]\n";
        return 64;
    }
    const auto port = static_cast<std::uint16_t>(std::atoi(argv[1]));
    const std::chrono::milliseconds timeout(1000L * (argc == 3 ? std::atoi(argv[2]) : 20));
    Clients clients;
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.empty()) continue;
        if (line == "quit") break;
        try {
            run(clients, port, timeout, line);
            std::cout << "ok" << std::endl;
        } catch (const std::exception& error) {
            std::cout << "error: " << error.what() << std::endl;
        }
    }
    return 0;
}
