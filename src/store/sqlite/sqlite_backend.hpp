#pragma once
// The embedded default backend: one SQLite file in WAL mode, so the writer thread and reader threads (each with
// its own sqlite_backend) work side by side.
// Thread-safety: one thread at a time per object.
#include <memory>
#include <string>

#include "store/sqlite/statement.hpp"
#include "store/store.hpp"

namespace guildhall::store::sqlite {

struct sqlite_options {
  std::string path;                     // database file; its folder must exist
  std::string synchronous = "NORMAL";   // NORMAL survives a killed process; FULL also survives power loss
  int busy_timeout_ms = 5000;
};

class sqlite_backend final : public backend {
 public:
  // Opens (creating if needed) and migrates the database.
  static result<std::unique_ptr<sqlite_backend>> open(const sqlite_options& options);
  ~sqlite_backend() override;

  result<user_record> create_user(std::string_view username, std::string_view password_hash,
                                  std::string_view device_id, std::int64_t now_ms) override;
  result<user_record> find_user_by_name(std::string_view username) override;
  result<user_record> find_user_by_id(std::uint64_t id) override;
  result<user_record> find_user_by_device(std::string_view device_id) override;

  result<void> append_messages(std::span<const chat_record> records) override;
  result<std::vector<chat_record>> channel_history(std::string_view channel, std::uint64_t before_id,
                                                   std::uint32_t limit) override;
  result<std::vector<chat_record>> direct_history(std::uint64_t user_a, std::uint64_t user_b, std::uint64_t before_id,
                                                  std::uint32_t limit) override;

  // sqlite_matches.cpp
  result<void> insert_match(const match_record& match) override;
  result<void> update_match(const match_record& match) override;
  result<void> record_move(const match_record& after, const move_record& move) override;
  result<match_record> find_match(std::uint64_t match_id) override;
  result<std::vector<match_record>> live_matches() override;
  result<std::vector<move_record>> match_moves(std::uint64_t match_id, std::uint32_t after_ply) override;
  result<std::uint32_t> live_match_count(std::uint64_t user_id) override;
  result<std::vector<match_record>> user_matches(std::uint64_t user_id, bool include_finished,
                                                 std::uint32_t limit) override;

  // sqlite_ratings.cpp (with notifications)
  result<std::uint64_t> add_notification(const notification_record& notification) override;
  result<std::vector<notification_record>> pending_notifications(std::uint64_t user_id, std::uint32_t limit) override;
  result<std::uint32_t> delete_notifications(std::uint64_t user_id, std::span<const std::uint64_t> ids) override;
  result<rating_record> find_rating(std::uint64_t user_id, std::string_view game) override;
  result<void> save_rating(const rating_record& rating) override;
  result<std::vector<rating_record>> leaderboard(std::string_view game, std::uint32_t offset,
                                                 std::uint32_t limit) override;
  result<std::uint32_t> leaderboard_rank(std::uint64_t user_id, std::string_view game) override;

  // sqlite_sessions.cpp
  result<void> start_refresh_family(std::string_view token_hash, std::uint64_t user_id, std::int64_t expires_at_ms,
                                    std::int64_t now_ms) override;
  result<refresh_rotation> rotate_refresh_token(std::string_view old_hash, std::string_view new_hash,
                                                std::int64_t expires_at_ms, std::int64_t now_ms,
                                                std::int64_t reuse_grace_ms) override;
  result<bool> revoke_refresh_family(std::string_view token_hash) override;

  result<void> begin_transaction() override;
  result<void> commit_transaction() override;
  void rollback_transaction() override;
  result<void> atomically(const std::function<result<void>()>& work) override;

  result<void> ping() override;
  void defer_checkpoints() override;
  std::uint32_t log_pages() const override { return log_pages_; }
  result<void> checkpoint() override;

 private:
  struct statements;
  struct match_statements;
  struct rating_statements;
  struct session_statements;
  explicit sqlite_backend(connection_handle db);
  result<user_record> find_user(statement& query);
  result<void> write_seats(const match_record& match);
  result<std::vector<match_record>> read_matches(statement& query);
  // Runs `work` inside a savepoint: atomic alone, and nested when a group transaction is open.
  template <typename Work>
  result<void> in_savepoint(Work work);

  connection_handle db_;
  std::unique_ptr<statements> sql_;
  std::unique_ptr<match_statements> match_sql_;
  std::unique_ptr<rating_statements> rating_sql_;
  std::unique_ptr<session_statements> session_sql_;
  std::uint32_t log_pages_ = 0;  // set by the WAL hook on this connection's commits
};

}  // namespace guildhall::store::sqlite
