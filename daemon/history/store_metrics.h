// The history store's metrics, chatd_history_store_*: registered on the
// daemon's registry (or a private one, for a store on its own) and bumped by
// the writer thread.
#pragma once

#include <memory>
#include <string>

#include "metrics/instruments.h"

namespace chatd::metrics {
class Registry;
}

namespace chatd::history {

class StoreMetrics {
public:
    // Registers the store's metrics on `registry` (a private registry when
    // null); the size gauge reads the files of `path` at scrape time.
    StoreMetrics(metrics::Registry* registry, const std::string& path);
    ~StoreMetrics();
    StoreMetrics(const StoreMetrics&) = delete;
    StoreMetrics& operator=(const StoreMetrics&) = delete;

private:
    std::unique_ptr<metrics::Registry> own_registry_;  // only when none was given
    metrics::Registry& registry_;

public:
    metrics::Counter& batches;            // _batches_total: committed write transactions
    metrics::Counter& messages_written;   // _messages_written_total
    metrics::Counter& write_errors;       // _write_errors_total: failed batches and retention steps
    metrics::Histogram& commit_seconds;   // _commit_seconds: BEGIN to COMMIT of one batch
    metrics::Counter& retention_deleted;  // _retention_deleted_total: messages removed by retention
};

// The bytes the store takes on disk: the database file and its WAL.
double storeBytes(const std::string& path);

}  // namespace chatd::history
