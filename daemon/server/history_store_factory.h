// The history store the config asks for: none with history.store: memory,
// else the SQLite store at history.path, opened and checked (StoreError
// when it cannot be used: the daemon exits 78).
#pragma once

#include <memory>

#include "config/config.h"
#include "history/history_store.h"

namespace chatd::metrics {
class Registry;
}

namespace chatd::server {

// nullptr for history.store: memory. Throws history::StoreError.
std::unique_ptr<history::HistoryStore> openHistoryStore(const config::Config& config, metrics::Registry& registry);

// The retention rules of `config` (history.max_age, history.max_messages).
history::Retention retentionOf(const config::Config& config);

}  // namespace chatd::server
