// sqlite_backend's session_store: refresh tokens in families, rotated on use, revoked on logout or reuse.
#include "store/sqlite/backend_statements.hpp"

namespace guildhall::store::sqlite {
namespace {

enum token_state : std::int64_t { kLive = 0, kRotated = 1, kRevoked = 2 };

}  // namespace

sqlite_backend::session_statements::session_statements(sqlite3* db)
    : insert_token(db, "INSERT INTO refresh_tokens (token_hash, family_id, user_id, state, expires_at_ms, "
                       "created_at_ms) VALUES (?1, ?2, ?3, 0, ?4, ?5)"),
      set_family(db, "UPDATE refresh_tokens SET family_id = id WHERE id = ?1"),
      forget_expired(db, "DELETE FROM refresh_tokens WHERE expires_at_ms <= ?1"),
      token_by_hash(db, "SELECT id, family_id, user_id, state, expires_at_ms, rotated_at_ms FROM refresh_tokens "
                        "WHERE token_hash = ?1"),
      mark_rotated(db, "UPDATE refresh_tokens SET state = 1, rotated_at_ms = ?2 WHERE id = ?1"),
      revoke_family(db, "UPDATE refresh_tokens SET state = 2 WHERE family_id = ?1") {}

result<void> sqlite_backend::start_refresh_family(std::string_view token_hash, std::uint64_t user_id,
                                                  std::int64_t expires_at_ms, std::int64_t now_ms) {
  auto& sql = *session_sql_;
  return in_savepoint([&]() -> result<void> {
    // Expired tokens can only be refused; dropping them here bounds the table by the logins of one TTL.
    if (auto forgotten = sql.forget_expired.bind(1, now_ms).run(db_.get(), "forget expired tokens"); !forgotten) {
      return forgotten;
    }
    sql.insert_token.bind(1, token_hash).bind(2, std::int64_t{0}).bind(3, user_id).bind(4, expires_at_ms).bind(5, now_ms);
    if (auto inserted = sql.insert_token.run(db_.get(), "store refresh token"); !inserted) return inserted;
    return sql.set_family.bind(1, static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_.get())))
        .run(db_.get(), "start token family");
  });
}

result<refresh_rotation> sqlite_backend::rotate_refresh_token(std::string_view old_hash, std::string_view new_hash,
                                                              std::int64_t expires_at_ms, std::int64_t now_ms,
                                                              std::int64_t reuse_grace_ms) {
  auto& sql = *session_sql_;
  refresh_rotation rotation;
  auto outcome = in_savepoint([&]() -> result<void> {
    auto& found = sql.token_by_hash;
    found.bind(1, old_hash);
    auto row = found.first_row(db_.get(), "read refresh token");
    if (!row) return std::unexpected(row.error());
    if (!*row) return {};  // unknown
    const std::int64_t id = found.column_int(0);
    const std::int64_t family = found.column_int(1);
    const auto user_id = static_cast<std::uint64_t>(found.column_int(2));
    const std::int64_t state = found.column_int(3);
    const std::int64_t expires = found.column_int(4);
    const std::int64_t rotated_at = found.column_int(5);
    found.reset();
    if (state == kRevoked) {
      rotation.outcome = refresh_outcome::revoked;
      return {};
    }
    const bool within_grace = state == kRotated && reuse_grace_ms > 0 && now_ms - rotated_at <= reuse_grace_ms;
    if (state == kRotated && !within_grace) {
      rotation.outcome = refresh_outcome::reused;
      return sql.revoke_family.bind(1, family).run(db_.get(), "revoke token family");
    }
    if (expires <= now_ms) {
      rotation.outcome = refresh_outcome::expired;
      return {};
    }
    // A retry within the grace period leaves the token's first rotation time alone, so the window never grows.
    if (!within_grace) {
      if (auto used = sql.mark_rotated.bind(1, id).bind(2, now_ms).run(db_.get(), "rotate refresh token"); !used) {
        return used;
      }
    }
    sql.insert_token.bind(1, new_hash).bind(2, family).bind(3, user_id).bind(4, expires_at_ms).bind(5, now_ms);
    if (auto inserted = sql.insert_token.run(db_.get(), "store refresh token"); !inserted) return inserted;
    rotation = {refresh_outcome::rotated, user_id, within_grace};
    return {};
  });
  if (!outcome) return std::unexpected(outcome.error());
  return rotation;
}

result<bool> sqlite_backend::revoke_refresh_family(std::string_view token_hash) {
  auto& sql = *session_sql_;
  bool known = false;
  auto outcome = in_savepoint([&]() -> result<void> {
    auto& found = sql.token_by_hash;
    found.bind(1, token_hash);
    auto row = found.first_row(db_.get(), "read refresh token");
    if (!row) return std::unexpected(row.error());
    if (!*row) return {};
    known = true;
    const std::int64_t family = found.column_int(1);
    found.reset();
    return sql.revoke_family.bind(1, family).run(db_.get(), "revoke token family");
  });
  if (!outcome) return std::unexpected(outcome.error());
  return known;
}

}  // namespace guildhall::store::sqlite
