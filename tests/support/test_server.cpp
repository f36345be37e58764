#include "test_server.h"

namespace chatd::testing {

config::Config testConfig() {
    config::Config config;
    config.listen.address = "127.0.0.1";
    config.listen.port = 0;
    config.public_dir = CHATD_SOURCE_DIR "/public";
    config.plugin_dir = CHATD_PLUGIN_DIR;
    config.threads.io = 2;
    config.http.threads = 4;
    config.log.level = "warn";
    config.source = "<test>";
    // No history.db in the working directory, none shared between tests run
    // in parallel: a test of the store gives it a path in a temp directory.
    config.history.store = config::HistoryStoreType::Memory;
    // Tests send bursts; pacing (limits.session_messages_per_second) would
    // only slow them. Flood control's own tests turn it on.
    config.limits.session_messages_per_second = 0;
    return config;
}

TestServer::TestServer(const std::function<void(config::Config&)>& adjust) {
    config::Config config = testConfig();
    if (adjust) adjust(config);
    server_ = std::make_unique<server::Server>(std::move(config));
    server_->start();
}

TestServer::~TestServer() { server_->stop(std::chrono::milliseconds(2000)); }

}  // namespace chatd::testing
