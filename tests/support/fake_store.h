// FakeStore: an in-memory chat::MessageStore for unit tests of the room
// core. It keeps what the SQLite store keeps (each room's epoch, messages in
// seq order, no gap: an append that does not follow the room's last kept seq
// is refused, as the real store does), and the test scripts the rest: hold()
// the answers and release them later, or make the next appends fail (a full
// disk); release() answers through the batch runner, as one batch.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "chat/message_store.h"

namespace chatd::testing {

class FakeStore final : public chat::MessageStore {
public:
    void append(chat::StoredMessage message, Done done) override;
    void recordEpoch(const std::string& room, const std::string& epoch) override;
    // release() answers what it held as one batch, inside `runner`.
    void setBatchRunner(BatchRunner runner) override { runner_ = std::move(runner); }
    std::optional<chat::StoredRoom> loadRoom(const std::string& room, std::size_t recent) override;
    chat::StoredPage page(const std::string& room, const std::string& epoch, std::uint64_t before,
                          std::size_t limit) override;

    // From now on, appends wait (unanswered) until release().
    void hold();
    // Stops holding and answers every waiting append, in order.
    void release();
    // Waits until `count` appends are waiting; false on timeout.
    bool waitHeld(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(5));
    // The next `count` appends fail as a full disk would.
    void failNext(std::size_t count);
    // Puts `messages` (encoded, seqs 1..n) into the store as room `room` of `epoch`.
    void preload(const std::string& room, const std::string& epoch, const std::vector<std::string>& messages);
    // Seqs kept for `room`, oldest first.
    std::vector<std::uint64_t> keptSeqs(const std::string& room) const;

private:
    struct Kept {
        std::string epoch;
        std::map<std::uint64_t, std::string> messages;
    };
    struct Waiting {
        chat::StoredMessage message;
        Done done;
    };
    // Keeps `message` when it can (with mutex_ held); "" or the error.
    std::string keep(const chat::StoredMessage& message);

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, Kept> rooms_;
    bool holding_ = false;
    std::deque<Waiting> waiting_;
    std::size_t failures_ = 0;
    BatchRunner runner_;  // set before the first append
};

}  // namespace chatd::testing
