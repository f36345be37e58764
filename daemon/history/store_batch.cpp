#include "history/store_batch.h"

#include <sqlite3.h>

namespace chatd::history {

StoreBatch::StoreBatch(Database& db)
    : db_(db),
      begin_(db.prepare("BEGIN IMMEDIATE")),
      commit_(db.prepare("COMMIT")),
      insert_message_(db.prepare("INSERT OR IGNORE INTO messages (room, epoch, seq, ts_ms, json) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)")),
      // In SET, the right-hand sides see the row as it was: `epoch` is the old one.
      update_room_(db.prepare("INSERT INTO rooms (room, epoch, last_seq, updated_ms) VALUES (?1, ?2, ?3, ?4) "
                              "ON CONFLICT (room) DO UPDATE SET "
                              "last_seq = CASE WHEN epoch = excluded.epoch "
                              "THEN max(last_seq, excluded.last_seq) ELSE excluded.last_seq END, "
                              "epoch = excluded.epoch, updated_ms = excluded.updated_ms")),
      set_epoch_(db.prepare("INSERT INTO rooms (room, epoch, last_seq, updated_ms) VALUES (?1, ?2, 0, ?3) "
                            "ON CONFLICT (room) DO UPDATE SET "
                            "last_seq = CASE WHEN epoch = excluded.epoch THEN last_seq ELSE 0 END, "
                            "epoch = excluded.epoch, updated_ms = excluded.updated_ms")),
      room_position_(db.prepare("SELECT epoch, last_seq FROM rooms WHERE room = ?1")) {}

std::vector<std::string> StoreBatch::write(const std::vector<WriteRequest>& requests, std::int64_t now_ms) {
    std::vector<std::string> results;
    results.reserve(requests.size());
    try {
        {
            StatementScope scope(begin_);
            begin_.run();
        }
        for (const auto& request : requests) {
            if (request.kind == WriteRequest::Kind::Message) {
                results.push_back(writeMessage(request.message, now_ms));
            } else {
                writeEpoch(request.message, now_ms);
                results.emplace_back();
            }
        }
        StatementScope scope(commit_);
        commit_.run();
    } catch (const SqliteError&) {
        // SQLite may have rolled back already (SQLITE_FULL, IOERR); then there is nothing to end.
        if (!sqlite3_get_autocommit(db_.get())) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    return results;
}

std::string StoreBatch::writeMessage(const StoredMessage& message, std::int64_t now_ms) {
    const auto seq = static_cast<std::int64_t>(message.seq);
    {
        // Within an epoch the seqs follow each other: a message numbered after
        // one that could not be kept is refused too (its room renumbers).
        StatementScope scope(room_position_);
        room_position_.bind(1, message.room);
        if (room_position_.step() && room_position_.columnText(0) == message.epoch &&
            seq > room_position_.columnInt(1) + 1)
            return "out of sequence: room " + message.room + " epoch " + message.epoch + " is at seq " +
                   std::to_string(room_position_.columnInt(1)) + ", not " + std::to_string(message.seq - 1);
    }
    {
        StatementScope scope(insert_message_);
        insert_message_.bind(1, message.room)
            .bind(2, message.epoch)
            .bind(3, seq)
            .bind(4, message.ts_ms)
            .bind(5, message.json)
            .run();
    }
    if (db_.changes() == 0)
        return "already stored: room " + message.room + " epoch " + message.epoch + " seq " +
               std::to_string(message.seq);
    StatementScope scope(update_room_);
    update_room_.bind(1, message.room).bind(2, message.epoch).bind(3, seq).bind(4, now_ms).run();
    return "";
}

void StoreBatch::writeEpoch(const StoredMessage& message, std::int64_t now_ms) {
    StatementScope scope(set_epoch_);
    set_epoch_.bind(1, message.room).bind(2, message.epoch).bind(3, now_ms).run();
}

}  // namespace chatd::history
