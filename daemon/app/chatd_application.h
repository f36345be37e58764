// ChatdApplication: the chatd process. Command line, configuration file,
// start, then a sigwait loop in main(): SIGHUP reloads, SIGTERM/SIGINT stop.
// Under systemd (Type=notify) it reports READY/RELOADING/STOPPING, a status
// line and watchdog pings through ServiceNotifier.
#pragma once

#include <Poco/Util/ServerApplication.h>

#include <optional>
#include <string>
#include <vector>

#include "config/config_loader.h"

namespace chatd::server {
class Server;
}

namespace chatd::app {

class ChatdApplication : public Poco::Util::ServerApplication {
public:
    ChatdApplication();

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int main(const std::vector<std::string>& args) override;

private:
    // Loads the config the command line names (or the default search order),
    // applying --port. Errors are printed; nullopt on failure.
    std::optional<config::Config> loadConfig(bool quiet_success) const;
    int checkConfig() const;
    int serve();
    struct ReloadCounts {
        unsigned applied = 0;
        unsigned refused = 0;
    };
    // One SIGHUP: re-reads the file and applies it if it is valid and its
    // plugins start; counts the outcome.
    void reloadOnce(server::Server& server, ReloadCounts& counts) const;
    static std::string statusLine(const server::Server& server, const ReloadCounts& reloads);
    void printHelp() const;

    std::string config_path_;  // --config; empty = /etc/chatd.yaml, else built-in
    std::optional<std::uint16_t> port_override_;
    bool check_only_ = false;
    bool help_ = false;
    bool version_ = false;
    std::string usage_error_;
};

}  // namespace chatd::app
