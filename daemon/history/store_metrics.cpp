#include "history/store_metrics.h"

#include <filesystem>

#include "metrics/registry.h"

namespace chatd::history {

namespace {

metrics::Registry& chosen(std::unique_ptr<metrics::Registry>& own, metrics::Registry* given) {
    if (given) return *given;
    own = std::make_unique<metrics::Registry>();
    return *own;
}

}  // namespace

double storeBytes(const std::string& path) {
    double total = 0;
    for (const std::string& file : {path, path + "-wal"}) {
        std::error_code error;
        const auto size = std::filesystem::file_size(file, error);
        if (!error) total += static_cast<double>(size);
    }
    return total;
}

StoreMetrics::StoreMetrics(metrics::Registry* registry, const std::string& path)
    : registry_(chosen(own_registry_, registry)),
      batches(registry_.counter("chatd_history_store_batches_total",
                                "History store write transactions committed (each holds a batch of messages).")),
      messages_written(registry_.counter("chatd_history_store_messages_written_total",
                                         "Messages committed to the history store.")),
      write_errors(registry_.counter("chatd_history_store_write_errors_total",
                                     "History store batches and retention steps that failed (disk full, I/O).")),
      commit_seconds(registry_.histogram("chatd_history_store_commit_seconds",
                                         "Time to write and commit one batch to the history store.",
                                         metrics::latencyBuckets())),
      retention_deleted(registry_.counter("chatd_history_store_retention_deleted_total",
                                          "Messages removed from the history store by retention.")) {
    registry_.callback("chatd_history_store_bytes", "Bytes the history store takes on disk (database and WAL).",
                       metrics::MetricType::Gauge, {},
                       [path] { return std::vector<metrics::CallbackValue>{{{}, storeBytes(path)}}; });
}

StoreMetrics::~StoreMetrics() = default;

}  // namespace chatd::history
