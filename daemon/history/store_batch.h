// One batch of writes in one transaction: the messages and epoch changes
// queued since the last batch, with each room's position kept in `rooms`.
// Runs on the writer thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "history/sqlite_handle.h"
#include "history/stored_message.h"

namespace chatd::history {

// Called once a write is committed (ok) or has failed (the reason).
using WriteDone = std::function<void(bool ok, std::string_view error)>;
// Runs `callbacks` (the done callbacks of one batch); must call them once.
using BatchRunner = std::function<void(const std::function<void()>& callbacks)>;

struct WriteRequest {
    enum class Kind { Message, Epoch };
    Kind kind = Kind::Message;
    StoredMessage message;  // Epoch: only room and epoch
    WriteDone done;
};

class StoreBatch {
public:
    // `db` is the writer's connection; it must outlive this object.
    explicit StoreBatch(Database& db);

    // Writes `requests` in one transaction stamped `now_ms`. Returns one
    // entry per request: "" when written, else why that one was not (a
    // message already stored, or one that does not follow its room's last
    // message: a room's messages are kept without a gap). Throws SqliteError when the transaction
    // failed; nothing of it is then kept.
    std::vector<std::string> write(const std::vector<WriteRequest>& requests, std::int64_t now_ms);

private:
    // A room's epoch and last seq as the batch has made them so far.
    struct BatchPosition {
        bool known = false;  // the store has the room
        std::string epoch;
        std::uint64_t seq = 0;
        bool moved = false;  // messages were written: the rooms row is updated once, at the end
    };
    BatchPosition& positionOf(const std::string& room);
    std::string writeMessage(const StoredMessage& message);
    void writeEpoch(const StoredMessage& message, std::int64_t now_ms);
    void updateRoom(const std::string& room, const BatchPosition& position, std::int64_t now_ms);

    Database& db_;
    Statement begin_;
    Statement commit_;
    Statement insert_message_;
    Statement update_room_;
    Statement set_epoch_;
    Statement room_position_;
    std::unordered_map<std::string, BatchPosition> positions_;  // this batch's rooms
};

}  // namespace chatd::history
