#include "app/chatd_application.h"

#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/reload_transaction.h"
#include "app/resource_limits.h"
#include "app/service_notifier.h"
#include "app/signals.h"
#include "app/version.h"
#include "control/control_server.h"
#include "control/chat_commands.h"
#include "control/daemon_commands.h"
#include "control/socket_path.h"
#include "history/store_error.h"
#include "plugin_host/pipeline.h"
#include "server/log_setup.h"
#include "server/server.h"
#include "util/loop_failure.h"

namespace chatd::app {

namespace {
constexpr const char* kDefaultConfigPath = "/etc/chatd.yaml";
// EX_CONFIG: the configuration (or a plugin it names) is broken, from
// --check-config and at start alike; the unit does not restart on it.
constexpr int kExitConfig = 78;
constexpr int kExitUsage = 64;   // EX_USAGE
constexpr int kExitStartFailed = 1;

void printErrors(const std::vector<config::ConfigError>& errors) {
    for (const auto& error : errors) std::cerr << error.format() << '\n';
}

// WATCHDOG=1 only while every IO loop and hub shard runs what it is given: a
// wedged one (stuck in a call or a plugin hook) gets no ping sent for it, and
// systemd restarts chatd after WatchdogSec unless it recovers first.
void pingWatchdogIfAlive(server::Server& server, ServiceNotifier& notifier) {
    const std::vector<std::string> silent = server.silentWorkers();
    if (silent.empty()) return notifier.watchdogPing();
    std::string names;
    for (const std::string& name : silent) names += (names.empty() ? "" : ", ") + name;
    const auto interval = notifier.watchdogPingInterval().value_or(std::chrono::milliseconds(0));
    spdlog::error("watchdog: {} ran nothing for {} ms; not telling systemd chatd is alive (it restarts chatd after "
                  "WatchdogSec unless this recovers)",
                  names, interval.count());
}
}  // namespace

ChatdApplication::ChatdApplication() { setUnixOptions(true); }

void ChatdApplication::defineOptions(Poco::Util::OptionSet& options) {
    using Poco::Util::Option;
    options.addOption(
        Option("config", "c", "configuration file (default /etc/chatd.yaml, else the built-in one)").argument("FILE"));
    options.addOption(Option("port", "p", "listen port, overriding the configuration").argument("N"));
    options.addOption(Option("check-config", "", "validate the configuration (and load its plugins), then exit"));
    options.addOption(Option("version", "v", "print the version and exit"));
    options.addOption(Option("help", "h", "print this help and exit"));
}

void ChatdApplication::handleOption(const std::string& name, const std::string& value) {
    ServerApplication::handleOption(name, value);
    if (name == "config") {
        config_path_ = value;
    } else if (name == "port") {
        try {
            const int port = std::stoi(value);
            if (port < 0 || port > 65535 || std::to_string(port) != value) throw std::out_of_range(value);
            port_override_ = static_cast<std::uint16_t>(port);
        } catch (const std::exception&) {
            usage_error_ = "--port needs a number from 0 to 65535, got '" + value + "'";
        }
    } else if (name == "check-config") {
        check_only_ = true;
    } else if (name == "version") {
        version_ = true;
    } else if (name == "help") {
        help_ = true;
    }
}

void ChatdApplication::printHelp() const {
    Poco::Util::HelpFormatter formatter(options());
    formatter.setCommand("chatd");
    formatter.setUsage("[--config=FILE] [--port=N] [--check-config] [--version] [--help]");
    formatter.setHeader("chatd: a real-time chat daemon (WebSocket, rooms, plugins).");
    formatter.setFooter("SIGHUP reloads the configuration; SIGTERM or SIGINT stop gracefully.");
    formatter.format(std::cout);
}

config::LoadResult ChatdApplication::readConfig(bool quiet_success) const {
    config::LoadResult result;
    if (!config_path_.empty()) {
        result = config::loadFromFile(config_path_);
    } else if (std::filesystem::exists(kDefaultConfigPath)) {
        result = config::loadFromFile(kDefaultConfigPath);
    } else {
        if (!quiet_success) spdlog::info("{} not found: using the built-in default configuration", kDefaultConfigPath);
        result = config::loadFromString(config::builtinDefaultYaml(), "<built-in>");
    }
    if (result.ok() && port_override_) result.config->listen.port = *port_override_;
    return result;
}

std::optional<config::Config> ChatdApplication::loadConfig(bool quiet_success) const {
    config::LoadResult result = readConfig(quiet_success);
    if (!result.ok()) {
        printErrors(result.errors);
        return std::nullopt;
    }
    return std::move(result.config);
}

int ChatdApplication::checkConfig() const {
    auto config = loadConfig(true);
    if (!config) return kExitConfig;
    // --check: no daemon to act on (acting services fail), metrics exported nowhere.
    auto pipeline = plugin_host::Pipeline::build(config->plugins, config->plugin_dir,
                                                 plugin_host::PluginEnvironment{nullptr, config->state_dir, nullptr});
    if (auto* error = std::get_if<std::string>(&pipeline)) {
        std::cerr << config->source << ": " << *error << '\n';
        return kExitConfig;
    }
    std::cout << "chatd: configuration OK (" << config->source << ", " << config->plugins.size() << " plugins)\n";
    return 0;
}

int ChatdApplication::main(const std::vector<std::string>& args) {
    if (!usage_error_.empty() || !args.empty()) {
        std::cerr << "chatd: " << (usage_error_.empty() ? "unexpected argument '" + args.front() + "'" : usage_error_)
                  << " (see --help)\n";
        return kExitUsage;
    }
    if (help_) {
        printHelp();
        return 0;
    }
    if (version_) {
        std::cout << "chatd " << kVersion << " (plugin ABI " << kPluginAbiVersion << ")\n";
        return 0;
    }
    if (check_only_) return checkConfig();
    return serve();
}

int ChatdApplication::serve() {
    server::setupLogging();
    ServiceNotifier notifier;
    auto config = loadConfig(false);
    if (!config) {
        notifier.status("refused to start: the configuration has errors");
        return kExitConfig;
    }
    spdlog::info("chatd {} starting with {} (open file limit {})", kVersion, config->source, raiseOpenFileLimit());
    server::Server server(std::move(*config));
    try {
        server.start();
    } catch (const server::PluginError& error) {
        spdlog::critical("cannot start: {}", error.what());
        notifier.status(std::string("refused to start: ") + error.what());
        return kExitConfig;
    } catch (const history::StoreError& error) {
        // A file the operator must fix or move (corrupt, unwritable, in use):
        // restarting cannot help.
        spdlog::critical("cannot start: {}", error.what());
        notifier.status(std::string("refused to start: ") + error.what());
        return kExitConfig;
    } catch (const std::exception& error) {
        spdlog::critical("cannot start: {}", error.what());
        notifier.status(std::string("cannot start: ") + error.what());
        return kExitStartFailed;
    }
    // A loop that fails for good stops the daemon through the path below
    // (util/loop_failure.h): SIGTERM reaches the signal loop.
    util::setFatalLoopHandler([](std::string_view, std::string_view) { ::kill(::getpid(), SIGTERM); });
    ReloadTransaction reload(server, notifier, [this] { return readConfig(true); });
    control::Dispatcher commands;
    std::unique_ptr<control::ControlServer> control;
    try {
        control = startControl(server, reload, commands);
    } catch (const std::exception& error) {
        spdlog::critical("cannot start: {}", error.what());
        notifier.status(std::string("cannot start: ") + error.what());
        util::setFatalLoopHandler({});
        return kExitStartFailed;
    }
    // The last line of a start: everything (the control socket too) is up.
    const std::string ready = reload.statusLine();
    notifier.ready(ready);
    spdlog::info("ready: {}", ready);
    for (;;) {
        int signal_number = 0;
        const SignalAction action = waitForSignal(signal_number, notifier.watchdogPingInterval());
        if (action == SignalAction::Timeout) {
            pingWatchdogIfAlive(server, notifier);
            continue;
        }
        if (action == SignalAction::Stop) {
            spdlog::info("signal {}: stopping", signal_number);
            break;
        }
        reload.run("SIGHUP");
    }
    notifier.stopping("stopping: closing every connection (1001)");
    control.reset();  // its commands act on the server
    server.stop();
    util::setFatalLoopHandler({});
    if (util::loopFailedFatally()) {
        spdlog::critical("stopped after a loop failed (logged above); exiting with {}", util::kExitLoopFailed);
        return util::kExitLoopFailed;
    }
    return 0;
}

// The control socket (control.enabled) serving the daemon's commands; throws
// std::runtime_error when the socket cannot be created.
std::unique_ptr<control::ControlServer> ChatdApplication::startControl(server::Server& server,
                                                                       ReloadTransaction& reload,
                                                                       control::Dispatcher& commands) const {
    const auto config = server.config();
    if (!config->control.enabled) return nullptr;
    control::addDaemonCommands(commands, server, {kVersion, config->source},
                               [&reload] { return reload.run("control socket"); });
    control::addChatCommands(commands, server);
    const std::string path =
        config->control.socket.empty() ? control::defaultSocketPath(server.port()) : config->control.socket;
    auto control = std::make_unique<control::ControlServer>(
        control::ControlSettings{.socket_path = path, .group = config->control.group}, commands);
    control->start();
    return control;
}

}  // namespace chatd::app
