#include "services/auth/auth_service.hpp"

#include <sodium.h>

#include "base/ids.hpp"
#include "services/names.hpp"

namespace guildhall::services {
namespace {

std::string random_guest_name() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name = "guest-";
  for (int i = 0; i < 8; ++i) name.push_back(kHex[randombytes_uniform(16)]);
  return name;
}

}  // namespace

auth_service::auth_service(store::database& db, token_signer signer, auth_config config)
    : db_(db),
      signer_(signer),
      config_(config),
      hasher_(std::make_unique<work_queue<std::move_only_function<void()>>>([](auto& batch) {
        for (auto& work : batch) work();
      })) {}

auth_service::~auth_service() { hasher_->stop(); }

session_tokens auth_service::issue(const store::user_record& user) const {
  const std::int64_t now = unix_now_ms();
  session_tokens tokens{user.id, user.username, {}, {}, now + config_.access_ttl_ms};
  tokens.access_token = signer_.sign({token_kind::access, user.id, user.username, tokens.expires_at_ms});
  tokens.refresh_token = signer_.sign({token_kind::refresh, user.id, user.username, now + config_.refresh_ttl_ms});
  return tokens;
}

void auth_service::register_user(std::string username, std::string password, session_done done) {
  if (auto valid = validate_username(username); !valid) return done(std::unexpected(valid.error()));
  if (auto valid = validate_password(password); !valid) return done(std::unexpected(valid.error()));
  hasher_->push([this, username = std::move(username), password = std::move(password), done = std::move(done)]() mutable {
    auto hashed = hash_password(password, config_.password);
    if (!hashed) return done(std::unexpected(hashed.error()));
    db_.write([this, username = std::move(username), hashed = std::move(*hashed), done = std::move(done)](
                  store::backend& store) mutable {
      auto user = store.create_user(username, hashed, "", unix_now_ms());
      if (!user) return done(std::unexpected(user.error()));
      done(issue(*user));
    });
  });
}

void auth_service::login(std::string username, std::string password, session_done done) {
  // The same answer for "no such user" and "wrong password": no probing for usernames.
  if (!validate_username(username) || !validate_password(password)) {
    return done(fail(errc::auth_failed, "wrong username or password"));
  }
  db_.read([this, username = std::move(username), password = std::move(password), done = std::move(done)](
               store::backend& store) mutable {
    auto user = store.find_user_by_name(username);
    if (!user && user.error().code != errc::not_found) return done(std::unexpected(user.error()));
    hasher_->push([this, user = std::move(user), password = std::move(password), done = std::move(done)]() mutable {
      if (!user || !verify_password(password, user->password_hash)) {
        return done(fail(errc::auth_failed, "wrong username or password"));
      }
      done(issue(*user));
    });
  });
}

void auth_service::login_guest(std::string device_id, session_done done) {
  if (auto valid = validate_device_id(device_id); !valid) return done(std::unexpected(valid.error()));
  db_.read([this, device_id = std::move(device_id), done = std::move(done)](store::backend& store) mutable {
    auto user = store.find_user_by_device(device_id);
    if (user) return done(issue(*user));
    if (user.error().code != errc::not_found) return done(std::unexpected(user.error()));
    create_guest(std::move(device_id), std::move(done));
  });
}

void auth_service::create_guest(std::string device_id, session_done done) {
  db_.write([this, device_id = std::move(device_id), done = std::move(done)](store::backend& store) mutable {
    // Another request for the same device may have created it meanwhile; a random name may (rarely) collide.
    for (int attempt = 0; attempt < 5; ++attempt) {
      if (auto existing = store.find_user_by_device(device_id)) return done(issue(*existing));
      auto user = store.create_user(random_guest_name(), "", device_id, unix_now_ms());
      if (user) return done(issue(*user));
      if (user.error().code != errc::conflict) return done(std::unexpected(user.error()));
    }
    done(fail(errc::internal, "could not create a guest account"));
  });
}

void auth_service::refresh(std::string refresh_token, session_done done) {
  auto claims = signer_.verify(refresh_token, token_kind::refresh, unix_now_ms());
  if (!claims) return done(std::unexpected(claims.error()));
  // Look the user up so a refresh cannot outlive a deleted account.
  db_.read([this, user_id = claims->user_id, done = std::move(done)](store::backend& store) mutable {
    auto user = store.find_user_by_id(user_id);
    if (!user) {
      if (user.error().code == errc::not_found) return done(fail(errc::auth_failed, "account no longer exists"));
      return done(std::unexpected(user.error()));
    }
    done(issue(*user));
  });
}

result<token_claims> auth_service::verify_access_token(std::string_view token, std::int64_t now_ms) const {
  return signer_.verify(token, token_kind::access, now_ms);
}

}  // namespace guildhall::services
