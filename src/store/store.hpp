#pragma once
// The storage interfaces every backend implements (SQLite now, PostgreSQL next), and the one test suite
// (tests/unit/sqlite_store_test.cpp, to be shared with the PostgreSQL backend) they all pass. Calls are
// synchronous: they run on database threads (store/database.hpp), never on a shard.
// Thread-safety: a backend object is used by one thread at a time.
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "store/records.hpp"

namespace guildhall::store {

class account_store {
 public:
  virtual ~account_store() = default;
  // errc::conflict when the username (compared without case) or device id is taken.
  virtual result<user_record> create_user(std::string_view username, std::string_view password_hash,
                                          std::string_view device_id, std::int64_t now_ms) = 0;
  // errc::not_found when there is no such user.
  virtual result<user_record> find_user_by_name(std::string_view username) = 0;
  virtual result<user_record> find_user_by_id(std::uint64_t id) = 0;
  virtual result<user_record> find_user_by_device(std::string_view device_id) = 0;
};

class chat_store {
 public:
  virtual ~chat_store() = default;
  // All records in one transaction: all are stored or none.
  virtual result<void> append_messages(std::span<const chat_record> records) = 0;
  // Newest first, ids below `before_id` (0: from the newest), at most `limit`.
  virtual result<std::vector<chat_record>> channel_history(std::string_view channel, std::uint64_t before_id,
                                                           std::uint32_t limit) = 0;
  virtual result<std::vector<chat_record>> direct_history(std::uint64_t user_a, std::uint64_t user_b,
                                                          std::uint64_t before_id, std::uint32_t limit) = 0;
};

// Turn-based matches. Every write is atomic on its own and also nests inside a caller's transaction (the
// database's group commit).
class match_store {
 public:
  virtual ~match_store() = default;
  virtual result<void> insert_match(const match_record& match) = 0;
  // Rewrites the match row and its seats.
  virtual result<void> update_match(const match_record& match) = 0;
  // Appends `move` and stores `after`, the match as that move left it, together.
  virtual result<void> record_move(const match_record& after, const move_record& move) = 0;
  virtual result<match_record> find_match(std::uint64_t match_id) = 0;
  // Every open or active match: what a starting server takes back into memory.
  virtual result<std::vector<match_record>> live_matches() = 0;
  // Moves with ply > after_ply, in order.
  virtual result<std::vector<move_record>> match_moves(std::uint64_t match_id, std::uint32_t after_ply) = 0;
  // How many open or active matches the user has a seat in.
  virtual result<std::uint32_t> live_match_count(std::uint64_t user_id) = 0;
  // Newest first.
  virtual result<std::vector<match_record>> user_matches(std::uint64_t user_id, bool include_finished,
                                                         std::uint32_t limit) = 0;
};

// Notifications, kept until the user's client acknowledges them (delivery is at least once).
class notification_store {
 public:
  virtual ~notification_store() = default;
  // The stored notification's id, which every delivery of it carries.
  virtual result<std::uint64_t> add_notification(const notification_record& notification) = 0;
  // The oldest `limit` of the user's notifications; they stay stored until deleted.
  virtual result<std::vector<notification_record>> pending_notifications(std::uint64_t user_id,
                                                                          std::uint32_t limit) = 0;
  // Deletes those of `ids` that belong to `user_id` (others are left alone); returns how many went.
  virtual result<std::uint32_t> delete_notifications(std::uint64_t user_id, std::span<const std::uint64_t> ids) = 0;
};

// Refresh tokens, stored as hashes, in families: each login starts a family, each refresh rotates its live
// token into a new one of the same family.
class session_store {
 public:
  virtual ~session_store() = default;
  // Starts a family with the token of hash `token_hash`; also forgets tokens expired by `now_ms`.
  virtual result<void> start_refresh_family(std::string_view token_hash, std::uint64_t user_id,
                                            std::int64_t expires_at_ms, std::int64_t now_ms) = 0;
  // Atomically: the token of `old_hash`, if live and unexpired, becomes rotated and `new_hash` a live token of
  // its family. A token already rotated is a stolen copy or a replay, and its whole family is revoked (`reused`),
  // unless it was rotated no more than `reuse_grace_ms` ago: then the rotation's answer was probably lost (a
  // dropped connection, two tabs sharing one stored token) and `new_hash` joins the family as well.
  virtual result<refresh_rotation> rotate_refresh_token(std::string_view old_hash, std::string_view new_hash,
                                                        std::int64_t expires_at_ms, std::int64_t now_ms,
                                                        std::int64_t reuse_grace_ms) = 0;
  // Revokes the family of the token of `token_hash` (logout); false when there is no such token.
  virtual result<bool> revoke_refresh_family(std::string_view token_hash) = 0;
};

// Ratings and the leaderboards built from them.
class rating_store {
 public:
  virtual ~rating_store() = default;
  // errc::not_found when the user has no rated game yet.
  virtual result<rating_record> find_rating(std::uint64_t user_id, std::string_view game) = 0;
  virtual result<void> save_rating(const rating_record& rating) = 0;
  // Ranked by rating, best first; rank 1 is the best. Ties share order by user id.
  virtual result<std::vector<rating_record>> leaderboard(std::string_view game, std::uint32_t offset,
                                                         std::uint32_t limit) = 0;
  // The user's 1-based rank; errc::not_found when they are unrated.
  virtual result<std::uint32_t> leaderboard_rank(std::uint64_t user_id, std::string_view game) = 0;
};

// One backend implements every store over one database connection.
class backend : public account_store, public chat_store, public match_store, public notification_store,
                public rating_store, public session_store {
 public:
  // A transaction around several calls, for the database's group commit. Store writes nest inside it.
  virtual result<void> begin_transaction() = 0;
  virtual result<void> commit_transaction() = 0;
  virtual void rollback_transaction() = 0;
  // Runs `work` so that its writes are all kept or, when it fails, all undone (a savepoint inside a transaction).
  virtual result<void> atomically(const std::function<result<void>()>& work) = 0;

  // The cheapest query that proves the connection answers (SQLite: SELECT 1), for the readiness check.
  virtual result<void> ping() { return {}; }

  // Checkpoints (SQLite: copying the write-ahead log back into the database file) take milliseconds, and a
  // commit that runs one holds up every write queued behind it. The database therefore calls
  // defer_checkpoints() on its writer's connection, reads log_pages() after each batch of commits, and runs
  // checkpoint() on a connection of its own. A backend without such a log keeps the defaults.
  virtual void defer_checkpoints() {}
  // Pages in the write-ahead log after the last commit (0 when checkpoints are not deferred).
  virtual std::uint32_t log_pages() const { return 0; }
  // Copies what it can of the log back without waiting for, or blocking, the writer.
  virtual result<void> checkpoint() { return {}; }
};

}  // namespace guildhall::store
