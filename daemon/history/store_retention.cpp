#include "history/store_retention.h"

namespace chatd::history {

StoreRetention::StoreRetention(Database& db, std::size_t chunk)
    : db_(db),
      chunk_(static_cast<std::int64_t>(chunk == 0 ? 1 : chunk)),
      delete_old_(db.prepare("DELETE FROM messages WHERE rowid IN "
                             "(SELECT rowid FROM messages WHERE ts_ms < ?1 ORDER BY ts_ms LIMIT ?2)")),
      room_epoch_(db.prepare("SELECT epoch FROM rooms WHERE room = ?1")),
      delete_other_epochs_(db.prepare("DELETE FROM messages WHERE rowid IN "
                                      "(SELECT rowid FROM messages WHERE room = ?1 AND epoch <> ?2 LIMIT ?3)")),
      count_cutoff_(db.prepare("SELECT seq FROM messages WHERE room = ?1 AND epoch = ?2 "
                               "ORDER BY seq DESC LIMIT 1 OFFSET ?3")),
      delete_up_to_(db.prepare("DELETE FROM messages WHERE rowid IN (SELECT rowid FROM messages "
                               "WHERE room = ?1 AND epoch = ?2 AND seq <= ?3 ORDER BY seq LIMIT ?4)")),
      delete_empty_rooms_(db.prepare("DELETE FROM rooms WHERE rowid IN (SELECT rowid FROM rooms "
                                     "WHERE updated_ms < ?1 AND NOT EXISTS "
                                     "(SELECT 1 FROM messages WHERE messages.room = rooms.room) LIMIT ?2)")) {}

void StoreRetention::startPass() {
    if (phase_ != Phase::Idle) return;
    rooms_.clear();
    if (first_pass_) {
        // Rooms written before this process started have not been noted.
        Statement all = db_.prepare("SELECT room FROM rooms");
        while (all.step()) touched_.insert(all.columnText(0));
        first_pass_ = false;
    }
    rooms_.assign(touched_.begin(), touched_.end());
    touched_.clear();
    phase_ = Phase::Age;
}

void StoreRetention::abandonPass() {
    touched_.insert(rooms_.begin(), rooms_.end());
    rooms_.clear();
    phase_ = Phase::Idle;
}

std::int64_t StoreRetention::step(const Retention& rules, std::int64_t now_ms) {
    const std::int64_t age_ms = rules.max_age.count();
    const std::int64_t cutoff_ms = now_ms - age_ms;
    switch (phase_) {
        case Phase::Idle:
            return 0;
        case Phase::Age: {
            const std::int64_t deleted = age_ms > 0 ? deleteOldMessages(cutoff_ms) : 0;
            if (deleted < chunk_) phase_ = Phase::Rooms;
            return deleted;
        }
        case Phase::Rooms:
            if (rooms_.empty()) {
                phase_ = Phase::EmptyRooms;
                return 0;
            }
            return trimFrontRoom(rules);
        case Phase::EmptyRooms:
            // A room with no message left and no write for max_age has expired:
            // when it comes back it starts a new epoch.
            if (age_ms > 0) {
                StatementScope scope(delete_empty_rooms_);
                delete_empty_rooms_.bind(1, cutoff_ms).bind(2, chunk_).run();
                if (db_.changes() == chunk_) return 0;
            }
            phase_ = Phase::Idle;
            return 0;
    }
    return 0;
}

std::int64_t StoreRetention::deleteOldMessages(std::int64_t cutoff_ms) {
    delete_old_.bind(1, cutoff_ms).bind(2, chunk_);
    return deleteChunk(delete_old_);
}

std::int64_t StoreRetention::trimFrontRoom(const Retention& rules) {
    const std::string& room = rooms_.front();
    std::string epoch;
    {
        StatementScope scope(room_epoch_);
        room_epoch_.bind(1, room);
        if (!room_epoch_.step()) {
            rooms_.pop_front();
            return 0;
        }
        epoch = room_epoch_.columnText(0);
    }
    // The messages of the room's earlier epochs: no client can ask for them any more.
    delete_other_epochs_.bind(1, room).bind(2, epoch).bind(3, chunk_);
    if (const std::int64_t deleted = deleteChunk(delete_other_epochs_); deleted > 0) return deleted;
    if (rules.max_messages > 0) {
        std::int64_t cutoff_seq = -1;
        {
            StatementScope scope(count_cutoff_);
            count_cutoff_.bind(1, room).bind(2, epoch).bind(3, static_cast<std::int64_t>(rules.max_messages));
            if (count_cutoff_.step()) cutoff_seq = count_cutoff_.columnInt(0);
        }
        if (cutoff_seq >= 0) {
            delete_up_to_.bind(1, room).bind(2, epoch).bind(3, cutoff_seq).bind(4, chunk_);
            const std::int64_t deleted = deleteChunk(delete_up_to_);
            if (deleted == chunk_) return deleted;  // more of this room next step
            rooms_.pop_front();
            return deleted;
        }
    }
    rooms_.pop_front();
    return 0;
}

std::int64_t StoreRetention::deleteChunk(Statement& statement) {
    StatementScope scope(statement);
    statement.run();
    return db_.changes();
}

}  // namespace chatd::history
