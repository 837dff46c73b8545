#include "wire/udp/challenge_token.hpp"

#include <sodium.h>

#include <algorithm>

#include "wire/udp/detail/byte_io.hpp"
#include "wire/udp/detail/nonce.hpp"
#include "wire/udp/detail/sodium_ready.hpp"

namespace guildhall::wire::udp {

namespace {
constexpr std::size_t kPlainBytes = kChallengeTokenBytes - kMacBytes;
}

sealed_challenge_token seal_challenge_token(const challenge_token& token, std::uint64_t sequence,
                                            const key& challenge_key) {
  detail::ensure_sodium();
  std::array<std::uint8_t, kPlainBytes> plain{};
  detail::byte_writer out(plain);
  out.u64(token.client_id);
  out.bytes(token.user_data);
  const auto nonce = detail::sequence_nonce(sequence);
  sealed_challenge_token sealed{};
  unsigned long long sealed_bytes = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(sealed.data(), &sealed_bytes, plain.data(), plain.size(), nullptr, 0,
                                            nullptr, nonce.data(), challenge_key.data());
  return sealed;
}

std::optional<challenge_token> open_challenge_token(std::span<const std::uint8_t, kChallengeTokenBytes> sealed,
                                                    std::uint64_t sequence, const key& challenge_key) {
  detail::ensure_sodium();
  std::array<std::uint8_t, kPlainBytes> plain{};
  unsigned long long plain_bytes = 0;
  const auto nonce = detail::sequence_nonce(sequence);
  if (crypto_aead_chacha20poly1305_ietf_decrypt(plain.data(), &plain_bytes, nullptr, sealed.data(), sealed.size(),
                                                nullptr, 0, nonce.data(), challenge_key.data()) != 0) {
    return std::nullopt;
  }
  detail::byte_reader in(plain);
  challenge_token token;
  token.client_id = in.u64();
  std::ranges::copy(in.bytes(kUserDataBytes), token.user_data.begin());
  return token;
}

}  // namespace guildhall::wire::udp
