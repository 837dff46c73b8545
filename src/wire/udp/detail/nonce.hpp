#pragma once
// The 96-bit ChaCha20-Poly1305-IETF nonce built from a 64-bit sequence: 4 zero bytes, then the sequence
// little-endian (netcode). Private to src/wire/udp/.
#include <array>
#include <cstdint>

namespace guildhall::wire::udp::detail {

inline std::array<std::uint8_t, 12> sequence_nonce(std::uint64_t sequence) {
  std::array<std::uint8_t, 12> nonce{};
  for (int i = 0; i < 8; ++i) nonce[4 + i] = static_cast<std::uint8_t>(sequence >> (8 * i));
  return nonce;
}

}  // namespace guildhall::wire::udp::detail
