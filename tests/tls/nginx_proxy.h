// NginxProxy: Debian's nginx started for one test, with its own prefix, pid,
// logs and temp paths in a temporary directory, on a free loopback port,
// terminating TLS with a certificate made by openssl at test time and
// proxying everything (wss:// included) to a chatd on `backend_port`.
// The configuration is the one docs/security.md recommends.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "child_process.h"

namespace chatd::testing {

// The nginx and openssl binaries, or nullopt when not installed.
std::optional<std::string> findProgram(const std::string& name);
// The nginx to run: $CHATD_NGINX when set (nullopt if it is not an
// executable: how the "nginx missing" path is tested), else `nginx` as found.
std::optional<std::string> nginxProgram();

class NginxProxy {
public:
    // Makes the certificate and starts nginx; throws std::runtime_error with nginx's log on failure.
    NginxProxy(const std::filesystem::path& dir, std::uint16_t backend_port);
    ~NginxProxy();  // SIGTERM to the master (it stops its worker) and waits

    std::uint16_t port() const { return port_; }
    std::string caFile() const { return (dir_ / "cert.pem").string(); }
    std::string errorLog() const;

private:
    bool tryStart(std::uint16_t backend_port);

    std::filesystem::path dir_;
    std::uint16_t port_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

// The server block docs/security.md shows, with the paths and ports filled in.
std::string nginxConfig(const std::filesystem::path& dir, std::uint16_t listen_port, std::uint16_t backend_port);

}  // namespace chatd::testing
