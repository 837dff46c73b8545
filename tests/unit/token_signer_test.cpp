// services::token_signer: stateless HMAC-signed session tokens, and the ways a forged or stale one must fail.
#include "services/auth/token_signer.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

namespace guildhall::services {
namespace {

constexpr std::int64_t kNow = 1'800'000'000'000;

token_signer::key fixed_key(unsigned char fill) {
  token_signer::key k;
  k.fill(fill);
  return k;
}

token_claims access_claims() { return {token_kind::access, 42, "ada", kNow + 60'000}; }

std::string b64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

std::string unb64(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                              nullptr, &length, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
            0);
  out.resize(length);
  return out;
}

// A token over `payload` with a correct MAC under `secret`: lets tests reach the parser behind the MAC check.
std::string forge_with_key(const token_signer::key& secret, std::string_view payload) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), secret.data());
  return "v1." + b64(payload) + "." + b64(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

void expect_failure(const result<token_claims>& got, errc code) {
  ASSERT_FALSE(got.has_value()) << "token was accepted";
  EXPECT_EQ(got.error().code, code) << got.error().message;
}

class TokenSigner : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
  token_signer signer_{fixed_key(7)};
};

TEST_F(TokenSigner, SignThenVerifyRoundTrips) {
  const std::string token = signer_.sign(access_claims());
  EXPECT_TRUE(token.starts_with("v1."));
  auto claims = signer_.verify(token, token_kind::access, kNow);
  ASSERT_TRUE(claims.has_value()) << claims.error().message;
  EXPECT_EQ(claims->kind, token_kind::access);
  EXPECT_EQ(claims->user_id, 42u);
  EXPECT_EQ(claims->username, "ada");
  EXPECT_EQ(claims->expires_at_ms, kNow + 60'000);
}

TEST_F(TokenSigner, UsernameWithSeparatorsAndLargeIdsRoundTrip) {
  const token_claims original{token_kind::refresh, ~std::uint64_t{0}, "a:b.c", kNow + 1};
  auto claims = signer_.verify(signer_.sign(original), token_kind::refresh, kNow);
  ASSERT_TRUE(claims.has_value()) << claims.error().message;
  EXPECT_EQ(claims->user_id, ~std::uint64_t{0});
  EXPECT_EQ(claims->username, "a:b.c");
}

TEST_F(TokenSigner, TokenIsUrlSafe) {
  const std::string token = signer_.sign(access_claims());
  for (char c : token) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') << c;
  }
}

TEST_F(TokenSigner, TamperedPayloadFails) {
  const std::string token = signer_.sign(access_claims());
  const auto dot = token.rfind('.');
  // Claim to be user 1 with the original MAC.
  token_claims forged = access_claims();
  forged.user_id = 1;
  const std::string forged_token = signer_.sign(forged);
  const std::string spliced = forged_token.substr(0, forged_token.rfind('.')) + token.substr(dot);
  expect_failure(signer_.verify(spliced, token_kind::access, kNow), errc::auth_failed);

  // Flip one character of the payload.
  std::string flipped = token;
  flipped[4] = flipped[4] == 'A' ? 'B' : 'A';
  expect_failure(signer_.verify(flipped, token_kind::access, kNow), errc::auth_failed);
}

TEST_F(TokenSigner, TamperedMacFails) {
  const std::string token = signer_.sign(access_claims());
  const auto dot = token.rfind('.');
  std::string flipped = token;
  flipped[dot + 1] = flipped[dot + 1] == 'A' ? 'B' : 'A';
  expect_failure(signer_.verify(flipped, token_kind::access, kNow), errc::auth_failed);

  std::string mac = unb64(token.substr(dot + 1));
  mac[31] = static_cast<char>(mac[31] ^ 1);
  expect_failure(signer_.verify(token.substr(0, dot + 1) + b64(mac), token_kind::access, kNow), errc::auth_failed);

  // A truncated MAC (all but its last byte) must not be accepted as a prefix match.
  expect_failure(signer_.verify(token.substr(0, dot + 1) + b64(mac.substr(0, 31)), token_kind::access, kNow),
                 errc::auth_failed);
}

TEST_F(TokenSigner, NonCanonicalBase64OfTheSameMacFails) {
  // 32 MAC bytes are 43 base64 characters; the last one carries 2 unused bits. Setting them must not yield a second
  // valid spelling of the same token.
  const std::string token = signer_.sign(access_claims());
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const auto last = alphabet.find(token.back());
  ASSERT_NE(last, std::string::npos);
  ASSERT_EQ(last & 3u, 0u) << "canonical encoding leaves the unused bits clear";
  std::string variant = token;
  variant.back() = alphabet[last | 1u];
  expect_failure(signer_.verify(variant, token_kind::access, kNow), errc::auth_failed);
}

TEST_F(TokenSigner, TokenFromAnotherKeyFails) {
  const token_signer other(fixed_key(8));
  expect_failure(signer_.verify(other.sign(access_claims()), token_kind::access, kNow), errc::auth_failed);
  const token_signer random(token_signer::random_key());
  expect_failure(signer_.verify(random.sign(access_claims()), token_kind::access, kNow), errc::auth_failed);
}

TEST_F(TokenSigner, RandomKeysDiffer) { EXPECT_NE(token_signer::random_key(), token_signer::random_key()); }

TEST_F(TokenSigner, ExpiredTokenIsTokenExpired) {
  const std::string token = signer_.sign(access_claims());
  EXPECT_TRUE(signer_.verify(token, token_kind::access, kNow + 59'999).has_value());
  expect_failure(signer_.verify(token, token_kind::access, kNow + 60'000), errc::token_expired);
  expect_failure(signer_.verify(token, token_kind::access, kNow + 3'600'000), errc::token_expired);
}

TEST_F(TokenSigner, RefreshTokenIsNotAnAccessToken) {
  token_claims refresh = access_claims();
  refresh.kind = token_kind::refresh;
  const std::string token = signer_.sign(refresh);
  expect_failure(signer_.verify(token, token_kind::access, kNow), errc::auth_failed);
  EXPECT_TRUE(signer_.verify(token, token_kind::refresh, kNow).has_value());
}

TEST_F(TokenSigner, AccessTokenIsNotARefreshToken) {
  const std::string token = signer_.sign(access_claims());
  expect_failure(signer_.verify(token, token_kind::refresh, kNow), errc::auth_failed);
}

TEST_F(TokenSigner, WrongKindBeatsExpiry) {
  // An expired token of the wrong kind says auth_failed, not "refresh it": a client must not be told to refresh
  // with a token that could never work.
  token_claims refresh = access_claims();
  refresh.kind = token_kind::refresh;
  expect_failure(signer_.verify(signer_.sign(refresh), token_kind::access, kNow + 10'000'000), errc::auth_failed);
}

TEST_F(TokenSigner, MalformedStringsFail) {
  const std::string valid = signer_.sign(access_claims());
  const std::string malformed[] = {
      "",
      "v1.",
      "v1..",
      "v1",
      "nodot",
      "v1.nodotatall",
      "v2." + valid.substr(3),              // unknown version
      "V1." + valid.substr(3),
      valid.substr(3),                      // no version prefix
      "v1.!!!!." + valid.substr(valid.rfind('.') + 1),  // payload not base64url
      valid.substr(0, valid.rfind('.') + 1) + "***",     // MAC not base64url
      valid.substr(0, valid.rfind('.') + 1),            // empty MAC
      valid + ".extra",
      valid + "=",
      " " + valid,
      valid + " ",
      std::string("v1.\0\0\0.\0\0", 9),
      "v1." + std::string(100'000, 'A') + "." + std::string(43, 'A'),  // huge
      std::string(10'000'000, '.'),                                   // huge, all separators
  };
  for (const auto& token : malformed) {
    expect_failure(signer_.verify(token, token_kind::access, kNow), errc::auth_failed);
  }
}

TEST_F(TokenSigner, CorrectlySignedButMalformedPayloadsFail) {
  // Only the server can produce these (the MAC is good), but the parser behind the MAC must still not trust them.
  const token_signer::key secret = fixed_key(7);
  const std::string payloads[] = {
      "",
      "a",
      "a:",
      "a:42",
      "a:42:",
      "aa:42:1900000000000:ada",
      "a:-1:1900000000000:ada",
      "a:42x:1900000000000:ada",
      "a:42:soon:ada",
      "a::1900000000000:ada",
      "a:42::ada",
      "a:99999999999999999999999:1900000000000:ada",  // past uint64
      ":42:1900000000000:ada",
  };
  for (const auto& payload : payloads) {
    auto got = signer_.verify(forge_with_key(secret, payload), token_kind::access, kNow);
    ASSERT_FALSE(got.has_value()) << "accepted payload '" << payload << "'";
    EXPECT_EQ(got.error().code, errc::auth_failed) << payload;
  }
  // The forge helper itself produces tokens the signer accepts.
  EXPECT_TRUE(signer_.verify(forge_with_key(secret, "a:42:1900000000000:ada"), token_kind::access, kNow).has_value());
}

}  // namespace
}  // namespace guildhall::services
