#include "sqlite.h"

namespace folio::app::sqlite {

Database::Database(const std::string& file, bool readOnly) : file_(file)
{
    const int flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(file.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(file + ": cannot open the workspace database: " + message);
    }
    sqlite3_extended_result_codes(db_, 1);
    // Several processes share workspaces and cache indexes: wait for a lock instead of failing. Set before any
    // statement, since even switching to WAL takes a lock.
    sqlite3_busy_timeout(db_, 10000);
}

Database::~Database()
{
    sqlite3_close_v2(db_);
}

void Database::fail(const std::string& what) const
{
    throw Error(file_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

void Database::exec(const std::string& sql)
{
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    // Some lock waits never reach the busy handler (switching a new file to WAL while another process does the
    // same, first schema creation): these statements run outside transactions, so trying again is safe.
    for (int attempt = 0; (rc & 0xFF) == SQLITE_BUSY && attempt < 100; ++attempt) {
        sqlite3_free(message);
        message = nullptr;
        sqlite3_sleep(50);
        rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    }
    if (rc != SQLITE_OK) {
        const std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        throw Error(file_ + ": " + text);
    }
}

Statement Database::prepare(std::string_view sql)
{
    return Statement(*this, sql);
}

std::int64_t Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(db_);
}

Statement::Statement(Database& db, std::string_view sql) : db_(&db)
{
    if (sqlite3_prepare_v3(db.handle(), sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr)
        != SQLITE_OK)
        db.fail("cannot prepare \"" + std::string(sql.substr(0, 60)) + "\"");
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_)
{
    other.stmt_ = nullptr;
}

Statement::~Statement()
{
    sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    sqlite3_bind_double(stmt_, index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view text)
{
    sqlite3_bind_text(stmt_, index, text.data(), int(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bindBlob(int index, const void* data, std::size_t size)
{
    sqlite3_bind_blob(stmt_, index, data, int(size), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bindNull(int index)
{
    sqlite3_bind_null(stmt_, index);
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const std::string message = sqlite3_errmsg(db_->handle());
    sqlite3_reset(stmt_);
    throw Error(db_->file() + ": " + message);
}

void Statement::run()
{
    while (step()) {}
    reset();
}

void Statement::reset()
{
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }
bool Statement::isNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::string Statement::text(int column) const
{
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string(p, std::size_t(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::string Statement::blob(int column) const
{
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    return p ? std::string(p, std::size_t(sqlite3_column_bytes(stmt_, column))) : std::string();
}

Transaction::Transaction(Database& db) : db_(db)
{
    // IMMEDIATE takes the write lock now, so a second process waits (busy_timeout) instead of failing mid-way.
    db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit()
{
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace folio::app::sqlite
