#pragma once
// Challenge tokens (netcode STANDARD.md "Challenge Token"): the server answers a valid connection request with a
// token only it can open, and admits the client only when the token comes back in a connection response. A client
// spoofing its source address never sees the token, so it cannot complete the handshake. Sealed with
// ChaCha20-Poly1305-IETF under a random key the server picks at start, nonce = 4 zero bytes + the challenge
// sequence (u64 little-endian), no associated data. Plaintext: client_id u64 | user_data 256 | zero padding to 284.
// Thread-safety: free functions over values.
#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "wire/udp/connect_token.hpp"
#include "wire/udp/udp_limits.hpp"

namespace guildhall::wire::udp {

using sealed_challenge_token = std::array<std::uint8_t, kChallengeTokenBytes>;

struct challenge_token {
  std::uint64_t client_id = 0;
  user_data_bytes user_data{};

  bool operator==(const challenge_token&) const = default;
};

// `sequence` must never repeat under one key: the server counts up from 0 for the life of its random key.
sealed_challenge_token seal_challenge_token(const challenge_token& token, std::uint64_t sequence,
                                            const key& challenge_key);
// nullopt when the token does not authenticate under this key and sequence (forged, tampered, another server's).
std::optional<challenge_token> open_challenge_token(std::span<const std::uint8_t, kChallengeTokenBytes> sealed,
                                                    std::uint64_t sequence, const key& challenge_key);

}  // namespace guildhall::wire::udp
