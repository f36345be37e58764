#include "chat_core.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "chat/session.h"
#include "net/connection.h"

namespace chatd::testing {

chat::ChatSettings coreTestSettings() {
    chat::ChatSettings settings;
    settings.join_nick_per_second = 0;         // tests join and rename at will
    settings.session_messages_per_second = 0;  // and send bursts unpaced (flood control has its own tests)
    return settings;
}

ChatCore::ChatCore(Options options) {
    spdlog::set_level(spdlog::level::warn);
    std::vector<net::IoLoop*> loops;
    for (unsigned i = 0; i < options.loops; ++i) {
        net::LoopSettings settings;
        settings.send_queue_bytes = options.settings.send_queue_bytes;
        loops_.push_back(std::make_unique<net::IoLoop>(i, settings));
        loops.push_back(loops_.back().get());
    }
    hub_ = std::make_unique<chat::Hub>(std::move(loops), options.shards, std::move(options.settings),
                                       std::move(options.bus));
    hub_->setMetrics(chat::HubMetrics{.received_raw = &received_raw_, .received_json = &received_json_});
    hub_->setMessageStore(options.store);
    for (auto& loop : loops_) loop->start();
    hub_->start();
}

// As the server stops: the loops close their connections (the sessions
// leave their rooms), then the hub's shards and bus stop.
ChatCore::~ChatCore() {
    const auto deadline = util::steadyNow() + std::chrono::seconds(2);
    for (auto& loop : loops_) loop->shutdown(deadline);
    for (auto& loop : loops_) loop->join();
    hub_->stop(std::chrono::milliseconds(0));
    hub_.reset();
    loops_.clear();
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

std::size_t ChatCore::connectionCount() const {
    std::size_t total = 0;
    for (const auto& loop : loops_) total += loop->stats().connections.load();
    return total;
}

std::unique_ptr<WsClient> ChatCore::connect(chat::Mode mode, std::optional<unsigned> loop_index) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
    util::UniqueFd server_end(fds[0]);
    util::UniqueFd client_end(fds[1]);
    ::fcntl(server_end.get(), F_SETFL, ::fcntl(server_end.get(), F_GETFL) | O_NONBLOCK);

    const auto index = static_cast<unsigned>(loop_index.value_or(next_loop_++) % loops_.size());
    net::IoLoop& loop = *loops_[index];
    const std::uint64_t id = hub_->newSessionId(index);
    // Tasks are copyable: the parts travel in a shared bundle (as in server.cpp).
    struct Parts {
        util::UniqueFd fd;
        std::unique_ptr<chat::Session> session;
    };
    auto parts = std::make_shared<Parts>(Parts{std::move(server_end), std::make_unique<chat::Session>(*hub_, id, mode)});
    loop.post([&loop, id, parts] {
        loop.adopt(std::make_unique<net::Connection>(loop, std::move(parts->fd), id, "test-peer", std::string(),
                                                     std::move(parts->session), net::ConnectionSlot{}));
    });
    return std::make_unique<WsClient>(std::move(client_end), std::string(), std::string());
}

}  // namespace chatd::testing
