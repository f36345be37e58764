// MessageStoreAdapter: the SQLite history store (history/) as the room
// core's chat::MessageStore. A read the store cannot do is logged and
// answered as "nothing kept" (the room starts a new epoch; a page is empty):
// chat goes on, the log and chatd_history_store_* say why.
#pragma once

#include "chat/message_store.h"
#include "history/history_store.h"

namespace chatd::server {

class MessageStoreAdapter final : public chat::MessageStore {
public:
    explicit MessageStoreAdapter(history::HistoryStore& store) : store_(store) {}

    void append(chat::StoredMessage message, Done done) override;
    void recordEpoch(const std::string& room, const std::string& epoch) override;
    void setBatchRunner(BatchRunner runner) override { store_.setBatchRunner(std::move(runner)); }
    void commitQueued() override { store_.commitQueued(); }
    std::optional<chat::StoredRoom> loadRoom(const std::string& room, std::size_t recent) override;
    chat::StoredPage page(const std::string& room, const std::string& epoch, std::uint64_t before,
                          std::size_t limit) override;

private:
    history::HistoryStore& store_;
};

}  // namespace chatd::server
