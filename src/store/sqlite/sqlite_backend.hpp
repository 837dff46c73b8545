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

 private:
  struct statements;
  explicit sqlite_backend(connection_handle db);
  result<user_record> find_user(statement& query);

  connection_handle db_;
  std::unique_ptr<statements> sql_;
};

}  // namespace guildhall::store::sqlite
