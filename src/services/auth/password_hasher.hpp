#pragma once
// argon2id password hashes (libsodium's crypto_pwhash_str): salted, self-describing strings. Hashing is slow on
// purpose (tens of ms, tens of MiB): call it on a worker thread, never on a shard.
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace guildhall::services {

struct password_cost {
  unsigned long long ops_limit = 2;           // libsodium's "interactive" preset
  std::size_t mem_limit = 64 * 1024 * 1024;   // bytes of memory per hash; lower only for tests on tiny machines
};

result<std::string> hash_password(std::string_view password, const password_cost& cost);
bool verify_password(std::string_view password, const std::string& stored_hash);

}  // namespace guildhall::services
