// ServerContext: what the HTTP request handlers need from the running server,
// kept to an interface so handlers do not depend on how the server is built.
#pragma once

#include <memory>
#include <string>

#include "chat/session_ref.h"
#include "config/config.h"
#include "net/connection_slots.h"
#include "util/unique_fd.h"

namespace chatd::metrics {
struct DaemonMetrics;
}
namespace chatd::plugin_host {
class Pipeline;
}

namespace chatd::server {

class Security;

class ServerContext {
public:
    virtual ~ServerContext() = default;
    // The configuration in force (replaced as a whole on reload).
    virtual std::shared_ptr<const config::Config> config() const = 0;
    virtual net::ConnectionSlots& slots() = 0;
    // Who an admitted client is, for its session and the plugins.
    struct AdmittedClient {
        std::string address;      // the client's (a trusted proxy's X-Forwarded-For resolved)
        std::string locked_nick;  // from the client's token: its fixed nick; "" = free
        std::string claims_json;  // the token's claims; "" without a token
    };
    // Hands an upgraded socket (non-blocking, owned) to an IO loop.
    virtual void adopt(util::UniqueFd fd, std::string peer, std::string early_bytes, chat::Mode mode,
                       net::ConnectionSlot slot, AdmittedClient client) = 0;
    // The plugin pipeline in force (its on_connect hooks admit upgrades).
    virtual std::shared_ptr<plugin_host::Pipeline> pipeline() const = 0;
    // Admission checks (limits, token) and the request-head checks.
    virtual Security& security() = 0;
    virtual metrics::DaemonMetrics& metrics() = 0;
    // The body of GET /healthz.
    virtual std::string healthJson() const = 0;
};

}  // namespace chatd::server
