// ChatdApplication: the chatd process. Command line, configuration file,
// start, then a sigwait loop in main(): SIGHUP reloads, SIGTERM/SIGINT stop.
// Under systemd (Type=notify) it reports READY/RELOADING/STOPPING, a status
// line and watchdog pings through ServiceNotifier.
#pragma once

#include <Poco/Util/ServerApplication.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config_loader.h"

namespace chatd::server {
class Server;
}
namespace chatd::control {
class ControlServer;
class Dispatcher;
}  // namespace chatd::control

namespace chatd::app {

class ReloadTransaction;

class ChatdApplication : public Poco::Util::ServerApplication {
public:
    ChatdApplication();

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int main(const std::vector<std::string>& args) override;

private:
    // Reads the config the command line names (or the default search order),
    // applying --port; errors are returned, not printed.
    config::LoadResult readConfig(bool quiet_success) const;
    // Loads the config the command line names (or the default search order),
    // applying --port. Errors are printed; nullopt on failure.
    std::optional<config::Config> loadConfig(bool quiet_success) const;
    int checkConfig() const;
    int serve();
    std::unique_ptr<control::ControlServer> startControl(server::Server& server, ReloadTransaction& reload,
                                                         control::Dispatcher& commands) const;
    void printHelp() const;

    std::string config_path_;  // --config; empty = /etc/chatd.yaml, else built-in
    std::optional<std::uint16_t> port_override_;
    bool check_only_ = false;
    bool help_ = false;
    bool version_ = false;
    std::string usage_error_;
};

}  // namespace chatd::app
