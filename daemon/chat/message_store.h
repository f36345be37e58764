// MessageStore: what the room core needs of a durable history (the SQLite
// store, history/; adapted in server/). With one, a locally ordered room
// keeps the rule "stored before sent": a numbered message is appended, and
// only once the store says it is kept does the shard put it in the room's
// history and broadcast it. Rooms come back from the store with their epoch,
// seq and recent messages, and `history` requests page through it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chatd::chat {

struct StoredMessage {
    std::string room;
    std::string epoch;
    std::uint64_t seq = 0;
    std::int64_t ts_ms = 0;
    std::string json;  // the encoded `message` object
};

// A room as the store holds it.
struct StoredRoom {
    std::string epoch;
    std::uint64_t seq = 0;           // the last message kept
    std::vector<std::string> recent;  // encoded messages, oldest first, the last one of seq `seq`
};

// Encoded messages of one epoch, oldest first; `more` when older ones are kept.
struct StoredPage {
    std::vector<std::string> messages;
    bool more = false;
};

class MessageStore {
public:
    // Called on the store's own thread once the message is kept (ok) or
    // could not be (error); in the order of append().
    using Done = std::function<void(bool ok, std::string_view error)>;
    // Runs `callbacks` (the Done callbacks of one batch of appends) and
    // whatever must happen around them; it must call `callbacks` once.
    using BatchRunner = std::function<void(const std::function<void()>& callbacks)>;

    virtual ~MessageStore() = default;
    // Any thread; does not block on the disk.
    virtual void append(StoredMessage message, Done done) = 0;
    // Optional (call before the first append): a store that keeps appends
    // in batches calls each batch's Done callbacks inside `runner`, so the
    // room core can hand their results over at once. A store without batches
    // ignores it.
    virtual void setBatchRunner(BatchRunner runner) { (void)runner; }
    // Called by a hub shard at the end of each batch of its commands: a store
    // may commit the appends queued so far now, on this thread (running their
    // Done callbacks here), rather than hand them to a thread of its own.
    virtual void commitQueued() {}
    // Any thread: `room` starts `epoch` with no message yet (kept in order with append()).
    virtual void recordEpoch(const std::string& room, const std::string& epoch) = 0;
    // Any thread, blocking: the room with its newest `recent` messages, or
    // nullopt when the store holds nothing of it.
    virtual std::optional<StoredRoom> loadRoom(const std::string& room, std::size_t recent) = 0;
    // Any thread, blocking: up to `limit` messages of `epoch` with seq < `before`.
    virtual StoredPage page(const std::string& room, const std::string& epoch, std::uint64_t before,
                            std::size_t limit) = 0;
};

}  // namespace chatd::chat
