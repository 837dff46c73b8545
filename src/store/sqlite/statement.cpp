#include "store/sqlite/statement.hpp"

#include <stdexcept>

namespace guildhall::store::sqlite {

result<connection_handle> connection_handle::open(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return fail(errc::internal, "cannot open " + path + ": " + message);
  }
  return connection_handle(db);
}

connection_handle::~connection_handle() {
  if (db_) sqlite3_close_v2(db_);
}

result<void> connection_handle::exec(std::string_view sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    return fail(errc::internal, text);
  }
  return {};
}

statement::statement(sqlite3* db, std::string_view sql) {
  // A statement that does not prepare is a bug in our SQL, not a runtime condition.
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) !=
      SQLITE_OK) {
    throw std::logic_error("bad SQL: " + std::string(sqlite3_errmsg(db)) + " in: " + std::string(sql));
  }
}

statement::~statement() { sqlite3_finalize(stmt_); }

statement& statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

statement& statement::bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

statement& statement::bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

statement& statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

int statement::step() { return sqlite3_step(stmt_); }

void statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

result<void> statement::finish(sqlite3* db, std::string_view what, int rc) {
  std::string message = rc == SQLITE_DONE ? std::string() : sqlite3_errmsg(db);
  reset();
  if (rc != SQLITE_DONE) return fail(errc::internal, std::string(what) + ": " + message);
  return {};
}

result<void> statement::run(sqlite3* db, std::string_view what) { return finish(db, what, step()); }

result<bool> statement::first_row(sqlite3* db, std::string_view what) {
  const int rc = step();
  if (rc == SQLITE_ROW) return true;
  if (auto done = finish(db, what, rc); !done) return std::unexpected(done.error());
  return false;
}

std::string statement::column_text(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index))) : std::string();
}

}  // namespace guildhall::store::sqlite
