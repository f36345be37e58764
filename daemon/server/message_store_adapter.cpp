#include "server/message_store_adapter.h"

#include <spdlog/spdlog.h>

namespace chatd::server {

void MessageStoreAdapter::append(chat::StoredMessage message, Done done) {
    store_.append(history::StoredMessage{.room = std::move(message.room),
                                         .epoch = std::move(message.epoch),
                                         .seq = message.seq,
                                         .ts_ms = message.ts_ms,
                                         .json = std::move(message.json)},
                  std::move(done));
}

void MessageStoreAdapter::recordEpoch(const std::string& room, const std::string& epoch) {
    store_.recordEpoch(room, epoch);
}

std::optional<chat::StoredRoom> MessageStoreAdapter::loadRoom(const std::string& room, std::size_t recent) {
    try {
        history::RoomRecord record = store_.loadRoom(room, recent);
        if (!record.position) return std::nullopt;
        chat::StoredRoom stored{.epoch = record.position->epoch, .seq = record.position->seq, .recent = {}};
        stored.recent.reserve(record.recent.size());
        for (history::StoredMessage& message : record.recent) stored.recent.push_back(std::move(message.json));
        return stored;
    } catch (const history::StoreError& error) {
        spdlog::error("history: room {} starts a new epoch: its history cannot be read: {}", room, error.what());
        return std::nullopt;
    }
}

chat::StoredPage MessageStoreAdapter::page(const std::string& room, const std::string& epoch, std::uint64_t before,
                                           std::size_t limit) {
    try {
        history::HistoryPage page = store_.page(room, epoch, before, limit);
        chat::StoredPage out{.messages = {}, .more = page.more};
        out.messages.reserve(page.messages.size());
        for (history::StoredMessage& message : page.messages) out.messages.push_back(std::move(message.json));
        return out;
    } catch (const history::StoreError& error) {
        spdlog::error("history: a page of room {} cannot be read: {}", room, error.what());
        return {};
    }
}

}  // namespace chatd::server
