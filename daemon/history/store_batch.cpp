#include "history/store_batch.h"

#include <sqlite3.h>

#include <algorithm>

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
    positions_.clear();
    try {
        {
            StatementScope scope(begin_);
            begin_.run();
        }
        for (const auto& request : requests) {
            if (request.kind == WriteRequest::Kind::Message) {
                results.push_back(writeMessage(request.message));
            } else {
                writeEpoch(request.message, now_ms);
                results.emplace_back();
            }
        }
        for (const auto& [room, position] : positions_)
            if (position.moved) updateRoom(room, position, now_ms);
        StatementScope scope(commit_);
        commit_.run();
    } catch (const SqliteError&) {
        // SQLite may have rolled back already (SQLITE_FULL, IOERR); then there is nothing to end.
        if (!sqlite3_get_autocommit(db_.get())) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    return results;
}

// The room's position as this batch sees it: read once, then kept up to date.
StoreBatch::BatchPosition& StoreBatch::positionOf(const std::string& room) {
    auto [it, added] = positions_.try_emplace(room);
    if (added) {
        StatementScope scope(room_position_);
        room_position_.bind(1, room);
        if (room_position_.step()) {
            it->second.known = true;
            it->second.epoch = room_position_.columnText(0);
            it->second.seq = static_cast<std::uint64_t>(room_position_.columnInt(1));
        }
    }
    return it->second;
}

std::string StoreBatch::writeMessage(const StoredMessage& message) {
    BatchPosition& position = positionOf(message.room);
    // Within an epoch the seqs follow each other: a message numbered after
    // one that could not be kept is refused too (its room renumbers).
    if (position.known && position.epoch == message.epoch && message.seq > position.seq + 1)
        return "out of sequence: room " + message.room + " epoch " + message.epoch + " is at seq " +
               std::to_string(position.seq) + ", not " + std::to_string(message.seq - 1);
    {
        StatementScope scope(insert_message_);
        insert_message_.bind(1, message.room)
            .bind(2, message.epoch)
            .bind(3, static_cast<std::int64_t>(message.seq))
            .bind(4, message.ts_ms)
            .bind(5, message.json)
            .run();
    }
    if (db_.changes() == 0)
        return "already stored: room " + message.room + " epoch " + message.epoch + " seq " +
               std::to_string(message.seq);
    if (!position.known || position.epoch != message.epoch) {
        position.known = true;
        position.epoch = message.epoch;
        position.seq = message.seq;
    } else {
        position.seq = std::max(position.seq, message.seq);
    }
    position.moved = true;
    return "";
}

void StoreBatch::updateRoom(const std::string& room, const BatchPosition& position, std::int64_t now_ms) {
    StatementScope scope(update_room_);
    update_room_.bind(1, room)
        .bind(2, position.epoch)
        .bind(3, static_cast<std::int64_t>(position.seq))
        .bind(4, now_ms)
        .run();
}

void StoreBatch::writeEpoch(const StoredMessage& message, std::int64_t now_ms) {
    BatchPosition& position = positionOf(message.room);
    if (position.moved) updateRoom(message.room, position, now_ms);  // the messages before it, first
    {
        StatementScope scope(set_epoch_);
        set_epoch_.bind(1, message.room).bind(2, message.epoch).bind(3, now_ms).run();
    }
    if (position.epoch != message.epoch) position.seq = 0;
    position.known = true;
    position.epoch = message.epoch;
    position.moved = false;
}

}  // namespace chatd::history
