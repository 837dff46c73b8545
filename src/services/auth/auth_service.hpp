#pragma once
// Accounts and sessions: register and log in with a password, log in as a guest by device id, refresh a
// session. Password hashing runs on the service's own worker thread and database work on the database's, so
// the shard that asked is never blocked; `done` callbacks run on those threads.
// Thread-safety: every member may be called from any thread.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "base/work_queue.hpp"
#include "services/auth/password_hasher.hpp"
#include "services/auth/token_signer.hpp"
#include "store/database.hpp"

namespace guildhall::services {

struct auth_config {
  std::int64_t access_ttl_ms = 60 * 60 * 1000;             // how long a socket may be opened with one access token
  std::int64_t refresh_ttl_ms = 30LL * 24 * 60 * 60 * 1000;  // how long a client may stay logged in without a password
  password_cost password;
};

struct session_tokens {
  std::uint64_t user_id = 0;
  std::string username;
  std::string access_token;
  std::string refresh_token;
  std::int64_t expires_at_ms = 0;
};

using session_done = std::move_only_function<void(result<session_tokens>)>;

class auth_service {
 public:
  auth_service(store::database& db, token_signer signer, auth_config config);
  ~auth_service();

  void register_user(std::string username, std::string password, session_done done);
  void login(std::string username, std::string password, session_done done);
  void login_guest(std::string device_id, session_done done);
  void refresh(std::string refresh_token, session_done done);

  // Fast and pure: safe on a shard.
  result<token_claims> verify_access_token(std::string_view token, std::int64_t now_ms) const;

 private:
  session_tokens issue(const store::user_record& user) const;
  void create_guest(std::string device_id, session_done done);

  store::database& db_;
  token_signer signer_;
  auth_config config_;
  std::unique_ptr<work_queue<std::move_only_function<void()>>> hasher_;
};

}  // namespace guildhall::services
