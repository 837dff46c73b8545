#include "services/auth/auth_service.hpp"

#include <sodium.h>

#include <array>

#include "base/ids.hpp"
#include "base/refusals.hpp"
#include "services/names.hpp"

namespace guildhall::services {
namespace {

constexpr std::string_view kRefreshPrefix = "r1.";
constexpr std::size_t kRefreshRandomBytes = 32;
constexpr std::size_t kMaxRefreshTokenBytes = 128;  // ours are 46; longer is not worth hashing

// Opaque and random: the server finds it by its hash, so it can be rotated and revoked.
std::string new_refresh_token() {
  std::array<unsigned char, kRefreshRandomBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string encoded(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  encoded.resize(encoded.find('\0'));
  return std::string(kRefreshPrefix) + encoded;
}

// What the store keeps instead of the token (BLAKE2b, hex): a copy of the database yields no usable token.
std::string refresh_token_hash(std::string_view token) {
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     nullptr, 0);
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

error refused_refresh(store::refresh_outcome outcome) {
  switch (outcome) {
    case store::refresh_outcome::expired: return {errc::token_expired, "refresh token expired: log in again"};
    case store::refresh_outcome::reused:
      return {errc::auth_failed, "refresh token already used: every session of this login is revoked"};
    case store::refresh_outcome::revoked: return {errc::auth_failed, "refresh token revoked: log in again"};
    default: return {errc::auth_failed, "unknown refresh token"};
  }
}

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
      hasher_(std::make_unique<work_queue<std::move_only_function<void()>>>(
          [](auto& batch) {
            for (auto& work : batch) work();
          },
          config.max_queued_hashes)) {}

result<void> auth_service::admit_hash() const {
  if (hasher_->full()) {
    count_refusal(refusal_reason::unavailable);
    return std::unexpected(error{errc::unavailable, "too many logins at once: try again shortly", kHashRetryAfterMs});
  }
  return {};
}

auth_service::~auth_service() { hasher_->stop(); }

session_tokens auth_service::tokens_for(const store::user_record& user, std::string refresh_token,
                                        std::int64_t now_ms) const {
  session_tokens tokens{user.id, user.username, {}, std::move(refresh_token), now_ms + config_.access_ttl_ms};
  tokens.access_token = signer_.sign({token_kind::access, user.id, user.username, tokens.expires_at_ms});
  return tokens;
}

result<session_tokens> auth_service::start_session(store::backend& store, const store::user_record& user) const {
  const std::int64_t now = unix_now_ms();
  std::string refresh_token = new_refresh_token();
  auto stored = store.start_refresh_family(refresh_token_hash(refresh_token), user.id, now + config_.refresh_ttl_ms, now);
  if (!stored) return std::unexpected(stored.error());
  return tokens_for(user, std::move(refresh_token), now);
}

void auth_service::start_session_later(store::user_record user, session_done done) {
  db_.write([this, user = std::move(user), done = std::move(done)](store::backend& store) mutable {
    done(start_session(store, user));
  });
}

void auth_service::register_user(std::string username, std::string password, session_done done) {
  if (auto valid = validate_username(username); !valid) return done(std::unexpected(valid.error()));
  if (auto valid = validate_password(password); !valid) return done(std::unexpected(valid.error()));
  if (auto admitted = admit_hash(); !admitted) return done(std::unexpected(admitted.error()));
  if (auto admitted = db_.admit_write(); !admitted) return done(std::unexpected(admitted.error()));
  hasher_->push([this, username = std::move(username), password = std::move(password), done = std::move(done)]() mutable {
    auto hashed = hash_password(password, config_.password);
    if (!hashed) return done(std::unexpected(hashed.error()));
    db_.write([this, username = std::move(username), hashed = std::move(*hashed), done = std::move(done)](
                  store::backend& store) mutable {
      auto user = store.create_user(username, hashed, "", unix_now_ms());
      if (!user) return done(std::unexpected(user.error()));
      done(start_session(store, *user));
    });
  });
}

void auth_service::login(std::string username, std::string password, session_done done) {
  // The same answer for "no such user" and "wrong password": no probing for usernames.
  if (!validate_username(username) || !validate_password(password)) {
    return done(fail(errc::auth_failed, "wrong username or password"));
  }
  if (auto admitted = admit_hash(); !admitted) return done(std::unexpected(admitted.error()));
  if (auto admitted = db_.admit_read(); !admitted) return done(std::unexpected(admitted.error()));
  db_.read([this, username = std::move(username), password = std::move(password), done = std::move(done)](
               store::backend& store) mutable {
    auto user = store.find_user_by_name(username);
    if (!user && user.error().code != errc::not_found) return done(std::unexpected(user.error()));
    hasher_->push([this, user = std::move(user), password = std::move(password), done = std::move(done)]() mutable {
      // An unknown user costs the same argon2 run as a wrong password, so the answer's timing does not tell
      // which names exist.
      const bool known = user.has_value();
      const bool matches = verify_password(password, known ? user->password_hash : dummy_hash());
      if (!known || !matches) return done(fail(errc::auth_failed, "wrong username or password"));
      start_session_later(std::move(*user), std::move(done));
    });
  });
}

void auth_service::login_guest(std::string device_id, session_done done) {
  if (auto valid = validate_device_id(device_id); !valid) return done(std::unexpected(valid.error()));
  if (auto admitted = db_.admit_read(); !admitted) return done(std::unexpected(admitted.error()));
  db_.read([this, device_id = std::move(device_id), done = std::move(done)](store::backend& store) mutable {
    auto user = store.find_user_by_device(device_id);
    if (user) return start_session_later(std::move(*user), std::move(done));
    if (user.error().code != errc::not_found) return done(std::unexpected(user.error()));
    create_guest(std::move(device_id), std::move(done));
  });
}

void auth_service::create_guest(std::string device_id, session_done done) {
  db_.write([this, device_id = std::move(device_id), done = std::move(done)](store::backend& store) mutable {
    // Another request for the same device may have created it meanwhile; a random name may (rarely) collide.
    for (int attempt = 0; attempt < 5; ++attempt) {
      if (auto existing = store.find_user_by_device(device_id)) return done(start_session(store, *existing));
      auto user = store.create_user(random_guest_name(), "", device_id, unix_now_ms());
      if (user) return done(start_session(store, *user));
      if (user.error().code != errc::conflict) return done(std::unexpected(user.error()));
    }
    done(fail(errc::internal, "could not create a guest account"));
  });
}

void auth_service::refresh(std::string refresh_token, session_done done) {
  if (!refresh_token.starts_with(kRefreshPrefix) || refresh_token.size() > kMaxRefreshTokenBytes) {
    return done(fail(errc::auth_failed, "not a refresh token"));
  }
  if (auto admitted = db_.admit_write(); !admitted) return done(std::unexpected(admitted.error()));
  db_.write([this, old_hash = refresh_token_hash(refresh_token), done = std::move(done)](store::backend& store) mutable {
    const std::int64_t now = unix_now_ms();
    std::string next = new_refresh_token();
    auto rotation = store.rotate_refresh_token(old_hash, refresh_token_hash(next), now + config_.refresh_ttl_ms, now,
                                                config_.refresh_reuse_grace_ms);
    if (!rotation) return done(std::unexpected(rotation.error()));
    if (rotation->outcome != store::refresh_outcome::rotated) return done(std::unexpected(refused_refresh(rotation->outcome)));
    // Look the user up so a refresh cannot outlive a deleted account.
    auto user = store.find_user_by_id(rotation->user_id);
    if (!user) {
      if (user.error().code == errc::not_found) return done(fail(errc::auth_failed, "account no longer exists"));
      return done(std::unexpected(user.error()));
    }
    done(tokens_for(*user, std::move(next), now));
  });
}

void auth_service::logout(std::string refresh_token, std::move_only_function<void(result<void>)> done) {
  // An unknown or malformed token is already as logged out as it gets: no error, so nothing to probe either.
  if (!refresh_token.starts_with(kRefreshPrefix) || refresh_token.size() > kMaxRefreshTokenBytes) return done({});
  if (auto admitted = db_.admit_write(); !admitted) return done(std::unexpected(admitted.error()));
  db_.write([hash = refresh_token_hash(refresh_token), done = std::move(done)](store::backend& store) mutable {
    auto revoked = store.revoke_refresh_family(hash);
    if (!revoked) return done(std::unexpected(revoked.error()));
    done({});
  });
}

const std::string& auth_service::dummy_hash() {
  if (dummy_hash_.empty()) {
    // Made once, with the configured cost, so that verifying against it costs what verifying a real hash does.
    auto made = hash_password("not anybody's password", config_.password);
    dummy_hash_ = made ? std::move(*made) : std::string("$argon2id$v=19$m=65536,t=2,p=1$invalid");
  }
  return dummy_hash_;
}

result<token_claims> auth_service::verify_access_token(std::string_view token, std::int64_t now_ms) const {
  return signer_.verify(token, token_kind::access, now_ms);
}

}  // namespace guildhall::services
