#pragma once
// The prepared statements of one sqlite_backend connection, grouped by store, and the savepoint helper the
// multi-statement writes share. Private to store/sqlite.
#include <string>
#include <string_view>

#include "store/sqlite/sqlite_backend.hpp"

namespace guildhall::store::sqlite {

inline constexpr std::string_view kUserColumns = "id, username, password_hash, COALESCE(device_id, ''), created_at_ms";

// Prepared once per connection: the hot statements are never re-parsed.
struct sqlite_backend::statements {
  explicit statements(sqlite3* db)
      : begin(db, "BEGIN IMMEDIATE"),
        commit(db, "COMMIT"),
        rollback(db, "ROLLBACK"),
        insert_user(db, "INSERT INTO users (username, username_key, password_hash, device_id, created_at_ms) "
                        "VALUES (?1, ?2, ?3, NULLIF(?4, ''), ?5)"),
        user_by_name(db, "SELECT " + std::string(kUserColumns) + " FROM users WHERE username_key = ?1"),
        user_by_id(db, "SELECT " + std::string(kUserColumns) + " FROM users WHERE id = ?1"),
        user_by_device(db, "SELECT " + std::string(kUserColumns) + " FROM users WHERE device_id = ?1"),
        insert_channel_message(db, "INSERT INTO channel_messages (id, channel, from_user_id, from_username, text, "
                                   "sent_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
        insert_direct_message(db, "INSERT INTO direct_messages (id, low_user_id, high_user_id, from_user_id, "
                                  "from_username, to_user_id, to_username, text, sent_at_ms) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
        channel_page(db, "SELECT id, from_user_id, from_username, text, sent_at_ms FROM channel_messages "
                         "WHERE channel = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3"),
        direct_page(db, "SELECT id, from_user_id, from_username, to_user_id, to_username, text, sent_at_ms "
                        "FROM direct_messages WHERE low_user_id = ?1 AND high_user_id = ?2 AND id < ?3 "
                        "ORDER BY id DESC LIMIT ?4") {}
  statement begin, commit, rollback;
  statement insert_user, user_by_name, user_by_id, user_by_device;
  statement insert_channel_message, insert_direct_message, channel_page, direct_page;
};


struct sqlite_backend::match_statements {
  explicit match_statements(sqlite3* db);
  statement savepoint, release, rollback_to;
  statement insert_match, update_match, delete_seats, insert_seat, insert_move;
  statement match_by_id, live, seats_of, moves_after, matches_of_user, live_count_of_user;
};

struct sqlite_backend::rating_statements {
  explicit rating_statements(sqlite3* db);
  statement insert_notification, notifications_of, delete_notification;
  statement rating_of, upsert_rating, board_page, rank_of;
};

struct sqlite_backend::session_statements {
  explicit session_statements(sqlite3* db);
  statement insert_token, set_family, forget_expired, token_by_hash, mark_rotated, revoke_family;
};

template <typename Work>
result<void> sqlite_backend::in_savepoint(Work work) {
  auto& sql = *match_sql_;
  if (auto opened = sql.savepoint.run(db_.get(), "savepoint"); !opened) return opened;
  result<void> outcome = work();
  if (!outcome) {
    (void)sql.rollback_to.run(db_.get(), "rollback to savepoint");
  }
  if (auto released = sql.release.run(db_.get(), "release savepoint"); !released && outcome) return released;
  return outcome;
}

}  // namespace guildhall::store::sqlite
