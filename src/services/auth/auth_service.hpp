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
  // How long after a refresh token's rotation presenting it again still rotates it (instead of revoking the whole
  // login as stolen): the answer to the first use may have been lost on a dropped connection, or two tabs sharing
  // one stored token refreshed at once. Longer tolerates slower retries; 0 treats every second use as theft.
  std::int64_t refresh_reuse_grace_ms = 30'000;
  password_cost password;
  // Password hashes waiting for the hasher thread (each tens of ms); past it login and register are refused
  // with UNAVAILABLE at once rather than answered seconds late.
  std::size_t max_queued_hashes = 64;
  // HTTP login and register attempts per client address a minute (the burst is the same): argon2 is the most
  // expensive thing a stranger can make us do. 0 disables the limit.
  double logins_per_ip_per_minute = 60;
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
  // Rotates: the answer carries a new refresh token and the old one stops working. Presenting a token that was
  // already rotated (a stolen copy, or a replay) revokes every token of its login.
  void refresh(std::string refresh_token, session_done done);
  // Revokes the login `refresh_token` belongs to (its whole family). Unknown tokens succeed: nothing to revoke.
  void logout(std::string refresh_token, std::move_only_function<void(result<void>)> done);

  // Fast and pure: safe on a shard.
  result<token_claims> verify_access_token(std::string_view token, std::int64_t now_ms) const;

 private:
  // What a login refused for a full hasher queue is told to wait: about the time the queue takes to drain.
  static constexpr std::uint32_t kHashRetryAfterMs = 2'000;

  result<void> admit_hash() const;
  session_tokens tokens_for(const store::user_record& user, std::string refresh_token, std::int64_t now_ms) const;
  // A new login: a new token family. On the database writer.
  result<session_tokens> start_session(store::backend& store, const store::user_record& user) const;
  void start_session_later(store::user_record user, session_done done);
  // A hash of the configured cost that no password matches; on the hasher thread only.
  const std::string& dummy_hash();
  void create_guest(std::string device_id, session_done done);

  store::database& db_;
  token_signer signer_;
  auth_config config_;
  std::string dummy_hash_;  // made on first use, on the hasher thread
  std::unique_ptr<work_queue<std::move_only_function<void()>>> hasher_;
};

}  // namespace guildhall::services
