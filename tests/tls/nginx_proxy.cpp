#include "nginx_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "free_port.h"
#include "util/unique_fd.h"

namespace chatd::testing {

namespace {

using Clock = std::chrono::steady_clock;

bool accepts(std::uint16_t port) {
    util::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return ::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
}

void run(const std::vector<std::string>& argv) {
    ChildProcess process(argv);
    const auto code = process.waitExit(std::chrono::seconds(30));
    if (code != 0) throw std::runtime_error(argv[0] + " failed: " + process.output());
}

}  // namespace

std::optional<std::string> findProgram(const std::string& name) {
    std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
    path += ":/usr/sbin:/usr/bin:/sbin:/bin";
    std::istringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
        const std::string candidate = dir + "/" + name;
        if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return std::nullopt;
}

std::optional<std::string> nginxProgram() {
    if (const char* chosen = std::getenv("CHATD_NGINX"))
        return ::access(chosen, X_OK) == 0 ? std::optional<std::string>(chosen) : std::nullopt;
    return findProgram("nginx");
}

std::string nginxConfig(const std::filesystem::path& dir, std::uint16_t listen_port, std::uint16_t backend_port) {
    const std::string d = dir.string();
    const std::string port = std::to_string(listen_port);
    return "worker_processes 1;\n"
           "pid " +
           d +
           "/nginx.pid;\n"
           "error_log " +
           d +
           "/error.log info;\n"
           "events { worker_connections 64; }\n"
           "http {\n"
           "  # No query strings in the access log: ?token=... is a credential.\n"
           "  log_format chatd '$remote_addr [$time_local] \"$request_method $uri\" $status $body_bytes_sent';\n"
           "  access_log " +
           d +
           "/access.log chatd;\n"
           "  client_body_temp_path " +
           d +
           "/tmp/body;\n"
           "  proxy_temp_path " +
           d +
           "/tmp/proxy;\n"
           "  fastcgi_temp_path " +
           d +
           "/tmp/fastcgi;\n"
           "  uwsgi_temp_path " +
           d +
           "/tmp/uwsgi;\n"
           "  scgi_temp_path " +
           d +
           "/tmp/scgi;\n"
           "  map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n"
           "  upstream chatd { server 127.0.0.1:" +
           std::to_string(backend_port) +
           "; }\n"
           "  server {\n"
           "    listen 127.0.0.1:" +
           port +
           " ssl;\n"
           "    server_name localhost;\n"
           "    ssl_certificate " +
           d +
           "/cert.pem;\n"
           "    ssl_certificate_key " +
           d +
           "/key.pem;\n"
           "    ssl_protocols TLSv1.2 TLSv1.3;\n"
           "    add_header Strict-Transport-Security \"max-age=31536000\" always;\n"
           "    location / {\n"
           "      proxy_pass http://chatd;\n"
           "      proxy_http_version 1.1;\n"
           "      proxy_set_header Upgrade $http_upgrade;\n"
           "      proxy_set_header Connection $connection_upgrade;\n"
           "      proxy_set_header Host $http_host;\n"
           "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
           "      proxy_set_header X-Forwarded-Proto $scheme;\n"
           "      proxy_read_timeout 1h;\n"
           "      proxy_send_timeout 1h;\n"
           "      proxy_buffering off;\n"
           "    }\n"
           "  }\n"
           "}\n";
}

NginxProxy::NginxProxy(const std::filesystem::path& dir, std::uint16_t backend_port) : dir_(dir) {
    const auto openssl = findProgram("openssl");
    const auto nginx = nginxProgram();
    if (!openssl || !nginx) throw std::runtime_error("nginx or openssl is not installed");
    ::chmod(dir_.c_str(), 0755);  // nginx workers (user nobody under root) write their temp files here
    std::filesystem::create_directories(dir_ / "tmp");
    run({*openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
         (dir_ / "key.pem").string(), "-out", (dir_ / "cert.pem").string(), "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"});
    for (int attempt = 0; attempt < 5; ++attempt)
        if (tryStart(backend_port)) return;
    throw std::runtime_error("nginx did not start; its log:\n" + errorLog());
}

bool NginxProxy::tryStart(std::uint16_t backend_port) {
    port_ = freeLoopbackPort();
    std::ofstream(dir_ / "nginx.conf", std::ios::trunc) << nginxConfig(dir_, port_, backend_port);
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{*nginxProgram(), "-p", dir_.string(), "-c", (dir_ / "nginx.conf").string(), "-e",
                                 (dir_ / "error.log").string(), "-g", "daemon off;"});
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline) {
        if (process_->waitExit(std::chrono::milliseconds(0))) return false;  // e.g. the port was taken meanwhile
        if (accepts(port_)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    process_->signal(SIGTERM);  // never SIGKILL the master: its worker would be orphaned
    process_->waitExit(std::chrono::seconds(10));
    return false;
}

NginxProxy::~NginxProxy() {
    if (!process_) return;
    process_->signal(SIGTERM);
    process_->waitExit(std::chrono::seconds(10));
}

std::string NginxProxy::errorLog() const {
    std::ifstream in(dir_ / "error.log");
    std::ostringstream out;
    out << in.rdbuf() << (process_ ? process_->output() : "");
    return out.str();
}

}  // namespace chatd::testing
