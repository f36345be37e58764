// LocalOrdering with a message store (message_store.h): a numbered message
// is delivered only once the store kept it; a room comes back with what the
// store kept; `history` and a `since` the room's history no longer covers
// are served from the store.
#include "chat/hub.h"
#include "chat/local_ordering.h"
#include "chat/room.h"
#include "net/shared_frame.h"

namespace chatd::chat {

namespace {
// A welcome resumes from the store at most this many missed messages (the
// welcome keeps only what fits half the send queue anyway).
constexpr std::uint64_t kMaxMissedFromStore = 10'000;
}  // namespace

void LocalOrdering::store(const Room& room, const protocol::ChatMessage& message, StoredCommand stored) {
    StoredMessage record{.room = room.name(),
                         .epoch = room.epoch(),
                         .seq = message.seq,
                         .ts_ms = message.ts_ms,
                         .json = std::string(net::framePayload(*stored.json))};
    Hub& hub = hub_;
    hub_.messageStore()->append(std::move(record),
                                [&hub, stored = std::move(stored)](bool ok, std::string_view error) mutable {
                                    stored.kept = ok;
                                    stored.error = error;
                                    hub.submit(std::move(stored));
                                });
}

// Kept: delivered in seq order (the store keeps each room's messages in the
// order they were numbered). Not kept: numbering goes back to the last
// message kept, and the sender is told; nobody else saw it.
void LocalOrdering::onStored(Room& room, StoredCommand& stored) {
    if (stored.epoch != room.epoch()) return;  // the room moved to another epoch meanwhile
    if (stored.kept) {
        if (stored.seq == room.seq() + 1)
            keep(room, stored.seq, MessageFrames{.json = stored.json, .raw = stored.raw}, stored.started);
        return;
    }
    if (stored.generation == room.generation()) room.renumber();
    if (stored.sender)
        output_.error(*stored.sender, "unavailable", "the server could not store the message; try again later",
                      stored.request_id);
}

void LocalOrdering::restore(Room& room) {
    MessageStore* store = hub_.messageStore();
    if (!store) return;
    const auto settings = hub_.settings();
    if (const auto kept = store->loadRoom(room.name(), settings->history_size))
        room.restore(*kept, historyLimits(*settings));
    else
        store->recordEpoch(room.name(), room.epoch());  // a client resuming after a restart finds it again
}

void LocalOrdering::historyFromStore(const Room& room, const HistoryCommand& request) {
    // Only what was delivered: messages still on their way to the store have higher seqs.
    const std::uint64_t before = std::min(request.before.value_or(room.seq() + 1), room.seq() + 1);
    const StoredPage page = hub_.messageStore()->page(room.name(), room.epoch(), before, request.limit);
    const std::vector<std::string_view> messages(page.messages.begin(), page.messages.end());
    output_.historyPage(room, request.who, room.epoch(), messages, page.more, request.request_id);
}

std::vector<std::string> LocalOrdering::missedFromStore(const Room& room, const std::optional<protocol::Since>& since) {
    MessageStore* store = hub_.messageStore();
    if (!store || !since || since->epoch != room.epoch() || since->seq >= room.seq()) return {};
    const std::uint64_t missed = room.seq() - since->seq;
    if (missed > kMaxMissedFromStore) return {};
    StoredPage page = store->page(room.name(), room.epoch(), room.seq() + 1, static_cast<std::size_t>(missed));
    if (page.messages.size() != missed) return {};
    return std::move(page.messages);
}

}  // namespace chatd::chat
