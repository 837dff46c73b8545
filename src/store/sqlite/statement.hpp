#pragma once
// RAII wrappers over the SQLite C API: a connection and a prepared statement with typed bind/column helpers.
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace guildhall::store::sqlite {

class connection_handle {
 public:
  static result<connection_handle> open(const std::string& path);
  connection_handle(connection_handle&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  connection_handle& operator=(connection_handle&&) = delete;
  ~connection_handle();

  sqlite3* get() const { return db_; }
  result<void> exec(std::string_view sql);
  std::string last_error() const { return sqlite3_errmsg(db_); }

 private:
  explicit connection_handle(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

class statement {
 public:
  statement(sqlite3* db, std::string_view sql);
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement();

  statement& bind(int index, std::int64_t value);
  statement& bind(int index, std::uint64_t value) { return bind(index, static_cast<std::int64_t>(value)); }
  statement& bind(int index, std::string_view value);
  statement& bind(int index, double value);
  statement& bind_null(int index);

  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int step();
  void reset();

  std::int64_t column_int(int index) const { return sqlite3_column_int64(stmt_, index); }
  double column_double(int index) const { return sqlite3_column_double(stmt_, index); }
  std::string column_text(int index) const;
  // Steps a statement that returns no rows and resets it; errc::internal with SQLite's message on failure.
  result<void> run(sqlite3* db, std::string_view what);
  // Calls `on_row(*this)` for every row, then resets; errc::internal with SQLite's message on failure.
  template <typename OnRow>
  result<void> for_each_row(sqlite3* db, std::string_view what, OnRow on_row) {
    int rc;
    while ((rc = step()) == SQLITE_ROW) on_row(*this);
    return finish(db, what, rc);
  }
  // Steps to the first row: true when there is one (read it, then reset), false when there is none (already
  // reset); errc::internal on failure.
  result<bool> first_row(sqlite3* db, std::string_view what);

 private:
  // Resets after the last step; the error, if `rc` is one, carries SQLite's message (read before the reset).
  result<void> finish(sqlite3* db, std::string_view what, int rc);

  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace guildhall::store::sqlite
