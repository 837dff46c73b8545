#pragma once
// The storage interfaces every backend implements (SQLite now, PostgreSQL next), and the one test suite
// (tests/unit/sqlite_store_test.cpp, to be shared with the PostgreSQL backend) they all pass. Calls are
// synchronous: they run on database threads (store/database.hpp), never on a shard.
// Thread-safety: a backend object is used by one thread at a time.
#include <cstdint>
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

// One backend implements every store over one database connection.
class backend : public account_store, public chat_store {};

}  // namespace guildhall::store
