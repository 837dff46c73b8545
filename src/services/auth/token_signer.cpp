#include "services/auth/token_signer.hpp"

#include <sodium.h>

#include <charconv>
#include <optional>

namespace guildhall::services {
namespace {

constexpr std::string_view kVersion = "v1.";
constexpr std::size_t kMaxTokenBytes = 512;

std::string to_base64url(const unsigned char* data, std::size_t size) {
  std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

std::optional<std::string> from_base64url(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &length, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

template <typename Number>
bool parse_number(std::string_view text, Number& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

token_signer::key token_signer::random_key() {
  key secret;
  randombytes_buf(secret.data(), secret.size());
  return secret;
}

std::string token_signer::sign(const token_claims& claims) const {
  // kind:user_id:expires_at_ms:username — the username goes last so it needs no escaping.
  const std::string payload = std::string(1, static_cast<char>(claims.kind)) + ":" + std::to_string(claims.user_id) +
                              ":" + std::to_string(claims.expires_at_ms) + ":" + claims.username;
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(payload.data()), payload.size(),
                         secret_.data());
  return std::string(kVersion) + to_base64url(reinterpret_cast<const unsigned char*>(payload.data()), payload.size()) +
         "." + to_base64url(mac.data(), mac.size());
}

result<token_claims> token_signer::verify(std::string_view token, token_kind expected, std::int64_t now_ms) const {
  if (token.size() > kMaxTokenBytes || !token.starts_with(kVersion)) return fail(errc::auth_failed, "malformed token");
  token.remove_prefix(kVersion.size());
  const auto dot = token.find('.');
  if (dot == std::string_view::npos) return fail(errc::auth_failed, "malformed token");
  const auto payload = from_base64url(token.substr(0, dot));
  const auto mac = from_base64url(token.substr(dot + 1));
  if (!payload || !mac || mac->size() != crypto_auth_hmacsha256_BYTES) return fail(errc::auth_failed, "malformed token");
  if (crypto_auth_hmacsha256_verify(reinterpret_cast<const unsigned char*>(mac->data()),
                                    reinterpret_cast<const unsigned char*>(payload->data()), payload->size(),
                                    secret_.data()) != 0) {
    return fail(errc::auth_failed, "token signature does not match");
  }
  // The MAC is good, so the payload is ours; still parse it defensively.
  std::string_view fields(*payload);
  const auto first = fields.find(':');
  const auto second = fields.find(':', first + 1);
  const auto third = fields.find(':', second + 1);
  if (first != 1 || second == std::string_view::npos || third == std::string_view::npos) {
    return fail(errc::auth_failed, "malformed token");
  }
  token_claims claims{static_cast<token_kind>(fields[0]), 0, std::string(fields.substr(third + 1)), 0};
  if (!parse_number(fields.substr(first + 1, second - first - 1), claims.user_id) ||
      !parse_number(fields.substr(second + 1, third - second - 1), claims.expires_at_ms)) {
    return fail(errc::auth_failed, "malformed token");
  }
  if (claims.kind != expected) {
    return fail(errc::auth_failed, expected == token_kind::access ? "a refresh token cannot authenticate a socket"
                                                                  : "not a refresh token");
  }
  if (claims.expires_at_ms <= now_ms) return fail(errc::token_expired, "token expired; refresh it");
  return claims;
}

}  // namespace guildhall::services
