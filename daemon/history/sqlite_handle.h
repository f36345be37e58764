// RAII over SQLite's C API: Database owns a sqlite3* connection, Statement a
// prepared sqlite3_stmt*. Every failure throws SqliteError with SQLite's
// (extended) result code and message, so callers decide what it means.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace chatd::history {

class SqliteError : public std::runtime_error {
public:
    SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    int code() const noexcept { return code_; }         // the extended result code
    int primaryCode() const noexcept { return code_ & 0xff; }

private:
    int code_;
};

class Statement {
public:
    Statement() = default;
    Statement(sqlite3* db, sqlite3_stmt* stmt) noexcept : db_(db), stmt_(stmt) {}
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Parameters are numbered from 1, as in SQL's ?1.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view text);
    // Runs to the next row: true when there is one, false when done.
    bool step();
    // Runs a statement that returns no rows.
    void run();
    std::int64_t columnInt(int column) const;
    std::string columnText(int column) const;
    // Ends the current run (releasing its read snapshot) and clears the bindings.
    void reset() noexcept;

private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement when the scope that uses it ends (a statement left
// mid-run keeps its read snapshot and holds back WAL checkpoints).
class StatementScope {
public:
    explicit StatementScope(Statement& statement) noexcept : statement_(statement) {}
    ~StatementScope() { statement_.reset(); }
    StatementScope(const StatementScope&) = delete;
    StatementScope& operator=(const StatementScope&) = delete;

private:
    Statement& statement_;
};

class Database {
public:
    // sqlite3_open_v2 with `flags` (SQLITE_OPEN_*); extended result codes on.
    Database(const std::string& path, int flags);
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    sqlite3* get() const noexcept { return db_; }
    // Runs one or more statements that return no rows.
    void exec(const std::string& sql);
    Statement prepare(std::string_view sql);
    // The first column of the first row of `sql` as text ("" when no row).
    std::string queryText(const std::string& sql);
    std::int64_t queryInt(const std::string& sql);
    // Rows changed by the last INSERT, UPDATE or DELETE.
    std::int64_t changes() const noexcept;
    // Throws SqliteError for `code` unless it is SQLITE_OK.
    void check(int code) const;

private:
    sqlite3* db_ = nullptr;
};

}  // namespace chatd::history
