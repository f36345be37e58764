#include "history/sqlite_handle.h"

#include <sqlite3.h>

#include <utility>

namespace chatd::history {

namespace {

[[noreturn]] void fail(sqlite3* db, int code) {
    const char* message = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    throw SqliteError(code, message ? message : sqlite3_errstr(code));
}

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        db_ = std::exchange(other.db_, nullptr);
        stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::int64_t value) {
    if (const int code = sqlite3_bind_int64(stmt_, index, value); code != SQLITE_OK) fail(db_, code);
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    const int code = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (code != SQLITE_OK) fail(db_, code);
    return *this;
}

bool Statement::step() {
    const int code = sqlite3_step(stmt_);
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    fail(db_, sqlite3_extended_errcode(db_));
}

void Statement::run() {
    while (step()) {
    }
}

std::int64_t Statement::columnInt(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::columnText(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

void Statement::reset() noexcept {
    if (!stmt_) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

Database::Database(const std::string& path, int flags) {
    const int code = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (db_) sqlite3_extended_result_codes(db_, 1);
    if (code != SQLITE_OK) {
        const SqliteError error(code, db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code));
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw error;
    }
}

Database::Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
}

Database::~Database() { sqlite3_close_v2(db_); }

void Database::exec(const std::string& sql) {
    if (const int code = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); code != SQLITE_OK) fail(db_, code);
}

Statement Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int code = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                        &stmt, nullptr);
    if (code != SQLITE_OK) fail(db_, code);
    return Statement(db_, stmt);
}

std::string Database::queryText(const std::string& sql) {
    Statement statement = prepare(sql);
    return statement.step() ? statement.columnText(0) : std::string();
}

std::int64_t Database::queryInt(const std::string& sql) {
    Statement statement = prepare(sql);
    return statement.step() ? statement.columnInt(0) : 0;
}

std::int64_t Database::changes() const noexcept { return sqlite3_changes64(db_); }

void Database::check(int code) const {
    if (code != SQLITE_OK) fail(db_, code);
}

}  // namespace chatd::history
