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

namespace chatd::server {

class Security;

class ServerContext {
public:
    virtual ~ServerContext() = default;
    // The configuration in force (replaced as a whole on reload).
    virtual std::shared_ptr<const config::Config> config() const = 0;
    virtual net::ConnectionSlots& slots() = 0;
    // Hands an upgraded socket (non-blocking, owned) to an IO loop. A
    // non-empty `locked_nick` (from the client's token) is its fixed nick.
    virtual void adopt(util::UniqueFd fd, std::string peer, std::string early_bytes, chat::Mode mode,
                       net::ConnectionSlot slot, std::string locked_nick) = 0;
    // Admission checks (limits, token) and the request-head checks.
    virtual Security& security() = 0;
    virtual metrics::DaemonMetrics& metrics() = 0;
    // The body of GET /healthz.
    virtual std::string healthJson() const = 0;
};

}  // namespace chatd::server
