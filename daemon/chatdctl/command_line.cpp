#include "command_line.h"

#include <chatd/detail/utf8.hpp>

#include "json/json_writer.h"

namespace chatd::ctl {

namespace {

// One command: its name, its positional arguments (the args keys they
// fill, in order) and its options (--name VALUE, into the args key `name`).
struct CommandSpec {
    const char* name;
    std::vector<const char*> positional;
    std::vector<const char*> options;
    const char* synopsis;
};

const std::vector<CommandSpec>& commands() {
    static const std::vector<CommandSpec> specs = {
        {"status", {}, {}, "status                      version, uptime, connections, rooms, bus, plugins"},
        {"plugins", {}, {}, "plugins                     each plugin with its verdict counts"},
        {"reload", {}, {}, "reload                      re-read the configuration (as SIGHUP); exit 1 when refused"},
        {"disconnect", {"session"}, {"reason"},
         "disconnect SESSION [--reason R]  close a session (code 4000, the reason as close reason)"},
    };
    return specs;
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
            words.push_back(word);
        }
    }
    if (invocation.help) return invocation;
    if (words.empty()) return UsageError{"no command given"};
    const CommandSpec* spec = findCommand(words.front());
    if (!spec) return UsageError{"unknown command '" + words.front() + "'"};
    invocation.command = spec->name;
    if (words.size() - 1 != spec->positional.size())
        return UsageError{invocation.command + " takes " + std::to_string(spec->positional.size()) +
                          " argument(s), got " + std::to_string(words.size() - 1)};
    json::ObjectWriter args(invocation.args_json);
    for (std::size_t i = 0; i < spec->positional.size(); ++i) args.field(spec->positional[i], words[i + 1]);
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
