// Retention in bounded steps: what the rules (max_age, max_messages per
// room) remove, a chunk of rows per transaction, so that the writer thread
// can commit a batch of new messages between two steps and the write lock is
// never held long. Runs on the writer thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <set>
#include <string>

#include "history/sqlite_handle.h"
#include "history/store_settings.h"

namespace chatd::history {

class StoreRetention {
public:
    // `db` is the writer's connection; it must outlive this object.
    StoreRetention(Database& db, std::size_t chunk);

    // A room was written to: the next pass checks its count and old epochs.
    void noteRoom(const std::string& room) { touched_.insert(room); }
    // Starts a pass: the age rule, then each noted room (every room in the
    // store on the first pass after opening), then rooms left with nothing.
    void startPass();
    bool passRunning() const { return phase_ != Phase::Idle; }
    // Ends the running pass after a failed step; its rooms wait for the next one.
    void abandonPass();
    // Runs one step of the pass (at most `chunk` rows deleted, in one
    // transaction). Returns the messages it deleted. Throws SqliteError.
    std::int64_t step(const Retention& rules, std::int64_t now_ms);

private:
    enum class Phase { Idle, Age, Rooms, EmptyRooms };

    std::int64_t deleteOldMessages(std::int64_t cutoff_ms);
    // One chunk of the front room's surplus; pops the room when it is within the rules.
    std::int64_t trimFrontRoom(const Retention& rules);
    std::int64_t deleteChunk(Statement& statement);

    Database& db_;
    std::int64_t chunk_;
    Phase phase_ = Phase::Idle;
    bool first_pass_ = true;
    std::set<std::string> touched_;
    std::deque<std::string> rooms_;  // the rooms this pass still checks
    Statement delete_old_;
    Statement room_epoch_;
    Statement delete_other_epochs_;
    Statement count_cutoff_;
    Statement delete_up_to_;
    Statement delete_empty_rooms_;
};

}  // namespace chatd::history
