#include "services/auth/password_hasher.hpp"

#include <sodium.h>

namespace guildhall::services {

result<std::string> hash_password(std::string_view password, const password_cost& cost) {
  std::string hashed(crypto_pwhash_STRBYTES, '\0');
  if (crypto_pwhash_str_alg(hashed.data(), password.data(), password.size(), cost.ops_limit, cost.mem_limit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return fail(errc::internal, "password hashing ran out of memory");
  }
  hashed.resize(hashed.find('\0'));
  return hashed;
}

bool verify_password(std::string_view password, const std::string& stored_hash) {
  if (stored_hash.empty()) return false;  // guests have no password
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace guildhall::services
