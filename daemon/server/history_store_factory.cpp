#include "server/history_store_factory.h"

#include <spdlog/spdlog.h>

namespace chatd::server {

history::Retention retentionOf(const config::Config& config) {
    return history::Retention{.max_age = config.history.max_age, .max_messages = config.history.max_messages};
}

std::unique_ptr<history::HistoryStore> openHistoryStore(const config::Config& config, metrics::Registry& registry) {
    if (config.history.store == config::HistoryStoreType::Memory) return nullptr;
    if (config.bus.type == config::BusType::Redis) {
        spdlog::info("history: rooms are shared through Redis, which keeps their history (bus.redis.history_length, "
                     "history_age); history.store is not used");
        return nullptr;
    }
    history::StoreSettings settings;
    settings.path = config.history.path;
    settings.sync = config.history.sync == config::HistorySync::Full ? history::SyncMode::Full
                                                                     : history::SyncMode::Normal;
    settings.retention = retentionOf(config);
    // sync normal: a commit writes the WAL without an fsync, cheap enough for
    // the hub shard to do at the end of its burst (no hand-over to the store's
    // thread and back). sync full: its fsync per batch stays off the shard.
    settings.caller_commits = settings.sync == history::SyncMode::Normal;
    settings.registry = &registry;
    auto store = history::HistoryStore::open(settings);
    spdlog::info("history store {} (sync {})", settings.path,
                 settings.sync == history::SyncMode::Full ? "full" : "normal");
    return store;
}

}  // namespace chatd::server
