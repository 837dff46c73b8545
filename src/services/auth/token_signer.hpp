#pragma once
// Signed, expiring session tokens: "v1.<payload>.<mac>", both base64url, the MAC an HMAC-SHA-256 over the
// payload with the server's secret key. No server-side state is needed to check one, so any shard (and later
// any node sharing the key) can verify a token without touching the database.
// Thread-safety: immutable after construction; verify and sign from any thread.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace guildhall::services {

enum class token_kind : char { access = 'a', refresh = 'r' };

struct token_claims {
  token_kind kind;
  std::uint64_t user_id;
  std::string username;
  std::int64_t expires_at_ms;
};

class token_signer {
 public:
  static constexpr std::size_t kKeyBytes = 32;
  using key = std::array<unsigned char, kKeyBytes>;

  explicit token_signer(const key& secret) : secret_(secret) {}
  static key random_key();

  std::string sign(const token_claims& claims) const;
  // Errors: auth_failed (malformed, bad MAC, wrong kind), token_expired (valid but past expiry at `now_ms`).
  result<token_claims> verify(std::string_view token, token_kind expected, std::int64_t now_ms) const;

 private:
  key secret_;
};

}  // namespace guildhall::services
