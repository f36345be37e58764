#include "history/store_reader.h"

#include <sqlite3.h>

#include <algorithm>
#include <limits>

#include "history/sqlite_handle.h"
#include "history/store_error.h"
#include "history/store_failure.h"
#include "history/store_schema.h"

namespace chatd::history {

namespace {

constexpr std::int64_t kMaxSeq = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t kMaxPage = 1'000'000'000;

std::int64_t clampToInt64(std::uint64_t value) {
    return static_cast<std::int64_t>(std::min<std::uint64_t>(value, static_cast<std::uint64_t>(kMaxSeq)));
}

// Reads the rows of `statement` (seq, ts_ms, json; newest first) into `out`, oldest first.
void readNewestFirst(Statement& statement, const std::string& room, const std::string& epoch, std::size_t at_most,
                     std::vector<StoredMessage>& out, bool& more) {
    while (statement.step()) {
        if (out.size() == at_most) {
            more = true;
            break;
        }
        out.push_back(StoredMessage{room, epoch, static_cast<std::uint64_t>(statement.columnInt(0)),
                                    statement.columnInt(1), statement.columnText(2)});
    }
    std::reverse(out.begin(), out.end());
}

}  // namespace

struct StoreReader::Connection {
    explicit Connection(const std::string& path)
        : db(openReader(path)),
          begin(db.prepare("BEGIN")),
          end(db.prepare("COMMIT")),
          position(db.prepare("SELECT epoch, last_seq FROM rooms WHERE room = ?1")),
          newest(db.prepare("SELECT seq, ts_ms, json FROM messages WHERE room = ?1 AND epoch = ?2 AND seq < ?3 "
                            "ORDER BY seq DESC LIMIT ?4")) {}

    Database db;
    Statement begin;
    Statement end;
    Statement position;
    Statement newest;
};

// A borrowed connection, back to the pool when the call ends (dropped when it failed).
struct StoreReader::Lease {
    StoreReader& owner;
    std::unique_ptr<Connection> connection;
    bool healthy = false;
    ~Lease() {
        if (!healthy || !connection) return;
        std::lock_guard lock(owner.mutex_);
        owner.idle_.push_back(std::move(connection));
    }
};

StoreReader::StoreReader(std::string path) : path_(std::move(path)) {}

StoreReader::~StoreReader() = default;

StoreReader::Lease StoreReader::borrow() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            return Lease{*this, std::move(connection)};
        }
    }
    try {
        return Lease{*this, std::make_unique<Connection>(path_)};
    } catch (const SqliteError& error) {
        throw StoreError(describeFailure(path_, error));
    }
}

RoomRecord StoreReader::loadRoom(const std::string& room, std::size_t recent) {
    Lease lease = borrow();
    Connection& c = *lease.connection;
    RoomRecord record;
    try {
        // One read transaction: the position and the messages come from the same snapshot.
        c.begin.run();
        c.begin.reset();
        {
            StatementScope scope(c.position);
            c.position.bind(1, room);
            if (c.position.step())
                record.position = RoomPosition{c.position.columnText(0),
                                               static_cast<std::uint64_t>(c.position.columnInt(1))};
        }
        if (record.position && recent > 0) {
            StatementScope scope(c.newest);
            c.newest.bind(1, room)
                .bind(2, record.position->epoch)
                .bind(3, kMaxSeq)
                .bind(4, clampToInt64(recent));
            bool more = false;
            readNewestFirst(c.newest, room, record.position->epoch, recent, record.recent, more);
        }
        c.end.run();
        c.end.reset();
    } catch (const SqliteError& error) {
        if (!sqlite3_get_autocommit(c.db.get())) sqlite3_exec(c.db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw StoreError(describeFailure(path_, error));
    }
    lease.healthy = true;
    return record;
}

HistoryPage StoreReader::page(const std::string& room, const std::string& epoch, std::optional<std::uint64_t> before,
                              std::size_t limit) {
    Lease lease = borrow();
    Connection& c = *lease.connection;
    HistoryPage page;
    try {
        StatementScope scope(c.newest);
        // One row more than asked: whether it exists says `more`.
        c.newest.bind(1, room)
            .bind(2, epoch)
            .bind(3, before ? clampToInt64(*before) : kMaxSeq)
            .bind(4, clampToInt64(std::min<std::size_t>(limit, kMaxPage)) + 1);
        readNewestFirst(c.newest, room, epoch, limit, page.messages, page.more);
    } catch (const SqliteError& error) {
        throw StoreError(describeFailure(path_, error));
    }
    lease.healthy = true;
    return page;
}

}  // namespace chatd::history
