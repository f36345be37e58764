#include "control/chat_commands.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "chat/hub.h"
#include "control/control_protocol.h"
#include "control/directory_commands.h"
#include "json/json_reader.h"
#include "json/json_writer.h"
#include "plugin_host/pipeline.h"
#include "protocol/names.h"
#include "server/daemon_actions.h"
#include "util/log_text.h"

namespace chatd::control {

namespace {

constexpr std::string_view kAdmin = "admin";

std::string requiredString(const json::Value& args, std::string_view key, std::string_view command) {
    auto value = stringArg(args, key);
    if (!value || value->empty()) throw BadArgs{std::string(command) + " needs '" + std::string(key) + "'"};
    return *value;
}

// The `room` argument, checked against the protocol's room names.
std::string roomArg(const json::Value& args, std::string_view command) {
    std::string room = requiredString(args, "room", command);
    if (!protocol::isValidRoom(room)) throw BadArgs{"'" + room + "' is not a valid room name"};
    return room;
}

Outcome say(server::Server& server, const json::Value& args, const Caller& caller) {
    plugin_host::PostRequest post{.room = roomArg(args, "say"),
                                  .from = stringArg(args, "from").value_or(std::string(kAdmin)),
                                  .text = requiredString(args, "text", "say"),
                                  .origin = plugin_host::PostOrigin::Admin,
                                  .plugin = {}};
    const std::string room = post.room;
    if (std::string problem = server.actions().post(std::move(post)); !problem.empty())
        throw BadArgs{std::move(problem)};
    spdlog::info("control: {} posted into room {} as admin", caller.description, room);
    std::string out;
    json::ObjectWriter result(out);
    result.field("room", room).boolean("queued", true);
    result.close();
    return Outcome::success(std::move(out));
}

Outcome kick(server::Server& server, const json::Value& args, const Caller& caller) {
    const std::string room = roomArg(args, "kick");
    const std::string nick = requiredString(args, "nick", "kick");
    const std::string reason = stringArg(args, "reason").value_or("");
    const auto session = server.actions().kickNick(room, nick, reason, std::string(kAdmin));
    if (!session) return Outcome::failure(error_code::kNotFound, "no '" + nick + "' in room '" + room + "'");
    spdlog::info("control: {} kicked {} from room {} ({})", caller.description, util::LogText{nick}, room,
                 util::LogText{reason});
    std::string out;
    json::ObjectWriter result(out);
    result.field("room", room).field("nick", nick);
    if (*session != 0)
        result.field("session", std::to_string(*session));
    else
        result.boolean("other_instance", true);  // handed to the instance holding the nick, if any
    result.close();
    return Outcome::success(std::move(out));
}

// The `args` list of a plugin command, re-encoded as a JSON list of strings.
std::string pluginArgs(const json::Value& args) {
    std::string out;
    json::ArrayWriter list(out);
    if (const json::Value* given = args.find("args"); given && !given->isNull()) {
        const json::Array* items = given->asArray();
        if (!items) throw BadArgs{"'args' must be a list of strings"};
        for (const json::Value& item : *items) {
            if (!item.isString()) throw BadArgs{"'args' must be a list of strings"};
            list.string(*item.asString());
        }
    }
    list.close();
    return out;
}

Outcome plugin(const server::Server& server, const json::Value& args, const Caller& caller) {
    const std::string name = requiredString(args, "plugin", "plugin");
    const std::string command = requiredString(args, "command", "plugin");
    const std::string arguments = pluginArgs(args);
    const auto pipeline = server.pipeline();
    if (!pipeline) return Outcome::failure(error_code::kNotFound, "no plugin '" + name + "' is loaded");
    spdlog::info("control: {} asked plugin {}: {}", caller.description, util::LogText{name}, util::LogText{command});
    plugin_host::ControlAnswer answer = pipeline->control(name, command, arguments);
    if (!answer.ok) return Outcome::failure(error_code::kRefused, std::move(answer.error));
    std::string error;
    if (!json::parse(answer.json, error))
        return Outcome::failure(error_code::kRefused, "plugin '" + name + "' answered with invalid JSON: " + error);
    // Valid JSON has raw line breaks only between tokens: the answer stays one line.
    std::ranges::replace_if(answer.json, [](char c) { return c == '\n' || c == '\r'; }, ' ');
    return Outcome::success(std::move(answer.json));
}

}  // namespace

void addChatCommands(Dispatcher& dispatcher, server::Server& server) {
    dispatcher.add("rooms", [&server](const json::Value&, const Caller&) { return roomsCommand(server); });
    dispatcher.add("who", [&server](const json::Value& args, const Caller&) { return whoCommand(server, args); });
    dispatcher.add("say", [&server](const json::Value& args, const Caller& caller) { return say(server, args, caller); });
    dispatcher.add("kick",
                   [&server](const json::Value& args, const Caller& caller) { return kick(server, args, caller); });
    dispatcher.add("plugin",
                   [&server](const json::Value& args, const Caller& caller) { return plugin(server, args, caller); });
}

}  // namespace chatd::control
