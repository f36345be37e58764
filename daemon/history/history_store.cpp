#include "history/history_store.h"

#include "history/store_metrics.h"
#include "history/store_reader.h"
#include "history/store_schema.h"
#include "history/store_writer.h"

namespace chatd::history {

namespace {
// SQLite's own ceiling for max_page_count.
constexpr std::uint64_t kNoPageCap = 4'294'967'294;
}  // namespace

HistoryStore::HistoryStore(OpenKey, const StoreSettings& settings) : settings_(settings) {}

std::unique_ptr<HistoryStore> HistoryStore::open(const StoreSettings& settings) {
    WriterConnection writer = openWriter(settings);
    auto store = std::make_unique<HistoryStore>(OpenKey{}, settings);
    store->file_lock_ = std::move(writer.lock);
    store->reader_ = std::make_unique<StoreReader>(settings.path);
    store->metrics_ = std::make_unique<StoreMetrics>(settings.registry, settings.path);
    store->writer_ = std::make_unique<StoreWriter>(std::move(writer.db), settings, *store->metrics_);
    return store;
}

HistoryStore::~HistoryStore() {
    if (writer_) writer_->stop();
}

void HistoryStore::append(StoredMessage message, Done done) {
    writer_->submit(WriteRequest{WriteRequest::Kind::Message, std::move(message), std::move(done)});
}

void HistoryStore::recordEpoch(std::string room, std::string epoch, Done done) {
    StoredMessage marker;
    marker.room = std::move(room);
    marker.epoch = std::move(epoch);
    writer_->submit(WriteRequest{WriteRequest::Kind::Epoch, std::move(marker), std::move(done)});
}

RoomRecord HistoryStore::loadRoom(const std::string& room, std::size_t recent) {
    return reader_->loadRoom(room, recent);
}

HistoryPage HistoryStore::page(const std::string& room, const std::string& epoch,
                               std::optional<std::uint64_t> before_seq, std::size_t limit) {
    return reader_->page(room, epoch, before_seq, limit);
}

void HistoryStore::commitQueued() { writer_->commitQueued(); }

void HistoryStore::flush() { writer_->flush(); }

void HistoryStore::setRetention(const Retention& rules) { writer_->setRetention(rules); }

void HistoryStore::setBatchRunner(BatchRunner runner) { writer_->setBatchRunner(std::move(runner)); }

void HistoryStore::setMaxPages(std::uint64_t pages) {
    const std::uint64_t cap = pages == 0 ? kNoPageCap : pages;
    writer_->post([cap](Database& db) { db.exec("PRAGMA max_page_count = " + std::to_string(cap)); });
}

StoreHealth HistoryStore::health() const {
    const auto commits = metrics_->commit_seconds.snapshot();
    const std::uint64_t count = commits.cumulative.empty() ? 0 : commits.cumulative.back();
    return StoreHealth{.bytes = storeBytes(settings_.path),
                       .messages_written = metrics_->messages_written.value(),
                       .batches = metrics_->batches.value(),
                       .write_errors = metrics_->write_errors.value(),
                       .mean_commit_seconds = count ? commits.sum / static_cast<double>(count) : 0};
}

}  // namespace chatd::history
