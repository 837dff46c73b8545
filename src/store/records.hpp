#pragma once
// Plain records the stores read and write; backend-neutral.
#include <cstdint>
#include <string>

namespace guildhall::store {

struct user_record {
  std::uint64_t id = 0;
  std::string username;
  std::string password_hash;  // argon2id string, empty for guests
  std::string device_id;      // set for guests
  std::int64_t created_at_ms = 0;
};

// A chat line: a channel message (channel set) or a direct message (to_user_id set).
struct chat_record {
  std::uint64_t id = 0;  // time-ordered (base/ids.hpp), assigned by the service
  std::string channel;
  std::uint64_t from_user_id = 0;
  std::string from_username;
  std::uint64_t to_user_id = 0;
  std::string to_username;
  std::string text;
  std::int64_t sent_at_ms = 0;
};

}  // namespace guildhall::store
