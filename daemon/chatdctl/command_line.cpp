#include "command_line.h"

#include <chatd/detail/utf8.hpp>

#include "json/json_writer.h"

namespace chatd::ctl {

namespace {

// What a command does with the words after its positional arguments.
enum class Rest {
    None,        // there must be none
    JoinedText,  // joined with spaces into the last positional argument (say's TEXT)
    List,        // a list of strings under "args" (plugin's ARGS), maybe empty
};

// One command: its name, its positional arguments (the args keys they
// fill, in order) and its options (--name VALUE, into the args key `name`).
struct CommandSpec {
    const char* name;
    std::vector<const char*> positional;
    std::vector<const char*> options;
    const char* synopsis;
    Rest rest = Rest::None;
};

const std::vector<CommandSpec>& commands() {
    static const std::vector<CommandSpec> specs = {
        {"status", {}, {}, "status                      version, uptime, connections, rooms, bus, plugins"},
        {"plugins", {}, {}, "plugins                     each plugin with its verdict counts"},
        {"reload", {}, {}, "reload                      re-read the configuration (as SIGHUP); exit 1 when refused"},
        {"disconnect", {"target"}, {"reason"},
         "disconnect NICK|SESSION [--reason R]  close a connection (code 4000, the reason as close reason)"},
        {"rooms", {}, {}, "rooms                       the rooms with members here, with their counts"},
        {"who", {"room"}, {}, "who ROOM                    nick, session, address, mode and since of each member"},
        {"say", {"room", "text"}, {"from"}, "say ROOM TEXT [--from NAME]  post into ROOM as the operator (origin admin)",
         Rest::JoinedText},
        {"kick", {"room", "nick"}, {"reason"}, "kick ROOM NICK [--reason R]  remove NICK from ROOM (it may rejoin)"},
        {"plugin", {"plugin", "command"}, {}, "plugin NAME COMMAND [ARGS...]  a plugin's own command (ARGS may be --options)",
         Rest::List},
    };
    return specs;
}

// disconnect's one argument is a session when it is all digits, else a nick.
const char* disconnectKey(const CommandSpec& spec, const char* key, const std::string& word) {
    if (std::string_view(spec.name) != "disconnect") return key;
    const bool digits = !word.empty() && word.find_first_not_of("0123456789") == std::string::npos;
    return digits ? "session" : "nick";
}

// True once `plugin NAME COMMAND` is complete: what follows are the plugin's
// ARGS, passed as they are, options included (only --json, --help and
// --socket stay chatdctl's).
bool pluginArgs(const std::vector<std::string>& words) { return words.size() >= 3 && words[0] == "plugin"; }

// `chatdctl ban ...` and the other short forms of the moderation plugin's
// commands: `chatdctl plugin moderation ban ...`.
bool isModerationShortForm(const std::string& word) {
    for (const char* name : {"ban", "unban", "mute", "unmute", "bans", "mutes"})
        if (word == name) return true;
    return false;
}

const CommandSpec* findCommand(const std::string& name) {
    for (const auto& spec : commands())
        if (name == spec.name) return &spec;
    return nullptr;
}

}  // namespace

std::string usageText() {
    std::string text =
        "usage: chatdctl [--socket PATH] [--json] COMMAND [ARGS]\n"
        "\n"
        "Talks to a running chatd through its control socket (default " +
        std::string(kDefaultSocket) +
        ", or $CHATD_CONTROL_SOCKET).\n"
        "\n"
        "commands:\n";
    for (const auto& spec : commands()) text += "  " + std::string(spec.synopsis) + "\n";
    text +=
        "  ban|mute NICK|ADDRESS [--room R] [--for DURATION] [--reason TEXT]  (the moderation plugin)\n"
        "  unban|unmute NICK|ADDRESS [--room R], bans, mutes  short for: plugin moderation COMMAND ...\n";
    text +=
        "\n"
        "options:\n"
        "  --socket PATH   the control socket of the instance to talk to\n"
        "  --json          print the daemon's answer as it came (one JSON line)\n"
        "  --help          print this text\n"
        "\n"
        "exit status: 0 done, 1 refused by the daemon, 64 usage, 69 daemon unreachable, 77 permission denied\n";
    return text;
}

std::variant<Invocation, UsageError> parseCommandLine(const std::vector<std::string>& arguments,
                                                      const std::string& env_socket) {
    Invocation invocation;
    invocation.socket = env_socket.empty() ? kDefaultSocket : env_socket;
    std::vector<std::string> words;
    std::vector<std::pair<std::string, std::string>> options;
    for (const auto& argument : arguments)
        if (!sdk::detail::isValidUtf8(argument)) return UsageError{"an argument is not valid UTF-8"};
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const std::string& word = arguments[i];
        if (word == "--json") {
            invocation.json = true;
        } else if (word == "--help" || word == "-h") {
            invocation.help = true;
        } else if (pluginArgs(words) && word.rfind("--socket", 0) != 0) {
            words.push_back(word);  // a plugin's own options (--room R) reach it as they are
        } else if (word.rfind("--", 0) == 0 && word.size() > 2) {
            std::string name = word.substr(2);
            std::string value;
            if (const auto equals = name.find('='); equals != std::string::npos) {
                value = name.substr(equals + 1);
                name.resize(equals);
            } else if (i + 1 < arguments.size()) {
                value = arguments[++i];
            } else {
                return UsageError{"option --" + name + " needs a value"};
            }
            if (name == "socket") {
                if (value.empty()) return UsageError{"--socket needs a path"};
                invocation.socket = value;
            } else {
                options.emplace_back(name, value);
            }
        } else {
            if (words.empty() && isModerationShortForm(word)) words = {"plugin", "moderation"};
            words.push_back(word);
        }
    }
    if (invocation.help) return invocation;
    if (words.empty()) return UsageError{"no command given"};
    const CommandSpec* spec = findCommand(words.front());
    if (!spec) return UsageError{"unknown command '" + words.front() + "'"};
    invocation.command = spec->name;
    const std::size_t given = words.size() - 1, wanted = spec->positional.size();
    if (given < wanted || (given > wanted && spec->rest == Rest::None))
        return UsageError{invocation.command + " takes " + std::to_string(wanted) +
                          (spec->rest == Rest::None ? "" : " or more") + " argument(s), got " + std::to_string(given)};
    if (spec->rest == Rest::JoinedText)
        for (std::size_t i = wanted + 1; i < words.size(); ++i) words[wanted] += " " + words[i];
    json::ObjectWriter args(invocation.args_json);
    for (std::size_t i = 0; i < wanted; ++i) args.field(disconnectKey(*spec, spec->positional[i], words[i + 1]), words[i + 1]);
    if (spec->rest == Rest::List) {
        args.key("args");
        json::ArrayWriter list(invocation.args_json);
        for (std::size_t i = wanted + 1; i < words.size(); ++i) list.string(words[i]);
        list.close();
    }
    for (const auto& [name, value] : options) {
        bool known = false;
        for (const char* option : spec->options) known = known || name == option;
        if (!known) return UsageError{"unknown option --" + name + " for " + invocation.command};
        args.field(name, value);
    }
    args.close();
    return invocation;
}

}  // namespace chatd::ctl
