// The Server's answers to the control socket: status, the plugins with their
// verdict counts, and closing one session on the operator's word.
#include <future>

#include "chat/hub.h"
#include "chat/session_ref.h"
#include "metrics/daemon_metrics.h"
#include "net/connection.h"
#include "net/io_loop.h"
#include "plugin_host/pipeline.h"
#include "server/server.h"

namespace chatd::server {

namespace {
constexpr std::uint16_t kOperatorClose = 4000;  // shared/PROTOCOL.md: an operator's disconnect
}

ServerStatus Server::status() const {
    ServerStatus now;
    now.uptime = std::chrono::duration_cast<std::chrono::seconds>(util::steadyNow() - started_at_);
    now.connections = connectionCount();
    now.rooms = hub_ ? hub_->roomCount() : 0;
    now.bus = hub_ ? std::string(hub_->busState()) : "memory";
    if (history_store_) {
        now.history = history_store_->health();
        now.history_path = history_store_->path();
    }
    return now;
}

std::vector<PluginReport> Server::pluginReports() const {
    std::vector<PluginReport> reports;
    const auto pipeline = hub_ ? hub_->pipeline() : nullptr;
    if (!pipeline) return reports;
    for (const plugin_host::PluginStats& stats : pipeline->stats()) {
        auto& verdicts = metrics_->plugin_verdicts;
        reports.push_back(PluginReport{.name = stats.name,
                                       .continued = verdicts.with({stats.name, "continue"}).value(),
                                       .dropped = verdicts.with({stats.name, "drop"}).value(),
                                       .rejected = verdicts.with({stats.name, "reject"}).value(),
                                       .errors = stats.errors});
    }
    return reports;
}

bool Server::disconnect(std::uint64_t session_id, std::string_view reason, std::chrono::milliseconds timeout) {
    auto found = std::make_shared<std::promise<bool>>();
    auto answer = found->get_future();
    if (!closeSession(session_id, kOperatorClose, std::string(reason), found)) return false;
    return answer.wait_for(timeout) == std::future_status::ready && answer.get();
}

bool Server::closeSession(std::uint64_t session_id, std::uint16_t code, std::string reason,
                          std::shared_ptr<std::promise<bool>> found) {
    const unsigned index = chat::loopIndexOf(session_id);
    if (index >= loops_.size()) return false;
    net::IoLoop& loop = *loops_[index];
    loop.post([&loop, session_id, code, reason = std::move(reason), found = std::move(found)] {
        net::Connection* connection = loop.find(session_id);
        const bool open = connection && connection->isOpen();  // one already closing is gone for its users
        if (open) connection->close(code, reason);
        if (found) found->set_value(open);
    });
    return true;
}

}  // namespace chatd::server
