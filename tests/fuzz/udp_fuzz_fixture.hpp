#pragma once
// Fixed keys, addresses and tokens shared by the UDP fuzz targets (fuzz_udp_packet, fuzz_connect_token) and the
// unit test that writes their seed corpora (tests/unit/udp_fuzz_seeds_test.cpp), so a seed built there opens here.
// Input format of fuzz_udp_packet: a series of frames [who u8][length u16 LE][datagram]; who & 3 picks the sender
// (0..2: three client addresses talking to the server, 3: the server talking to the fuzzed client), who >> 2
// advances the clock by that many 100 ms steps before the datagram.
#include <cstdint>
#include <vector>

#include "wire/udp/connect_token.hpp"
#include "wire/udp/server_protocol.hpp"

namespace udp_fuzz {

using namespace guildhall::wire::udp;

inline constexpr std::uint64_t kProtocolId = 0x4755494c44485a5aull;
inline constexpr std::uint64_t kStartMs = 1'800'000'000'000ull;
inline constexpr std::uint64_t kExpireS = kStartMs / 1000 + 3600;

inline key fixed_key(std::uint8_t seed) {
  key k;
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed * 31 + i);
  return k;
}

inline peer_address server_address() { return peer_address::ipv4({192, 0, 2, 1}, 9702); }
inline peer_address sender(unsigned who) {
  return peer_address::ipv4({198, 51, 100, static_cast<std::uint8_t>(who)}, 40000);
}

inline server_protocol_config config() {
  server_protocol_config c;
  c.protocol_id = kProtocolId;
  c.connect_token_key = fixed_key(1);
  c.public_addresses = {server_address()};
  c.max_clients = 2;
  c.max_pending = 2;
  c.max_token_entries = 4;
  c.challenge_key = fixed_key(2);
  return c;
}

// A token for `user` with fixed keys and nonce, sealed under config()'s key.
inline issued_connect_token token(std::uint64_t user) {
  connect_token_private claims;
  claims.client_id = user;
  claims.timeout_seconds = 5;
  claims.server_addresses = {server_address()};
  claims.client_to_server_key = fixed_key(static_cast<std::uint8_t>(10 + user));
  claims.server_to_client_key = fixed_key(static_cast<std::uint8_t>(20 + user));
  claims.user_data = *pack_identity({user, "fuzz" + std::to_string(user), user + 1000});
  issued_connect_token issued;
  issued.protocol_id = kProtocolId;
  issued.create_timestamp = kStartMs / 1000;
  issued.expire_timestamp = kExpireS;
  issued.nonce.fill(static_cast<std::uint8_t>(user));
  issued.sealed_private = *seal_connect_token(claims, kProtocolId, kExpireS, issued.nonce, fixed_key(1));
  issued.timeout_seconds = claims.timeout_seconds;
  issued.server_addresses = claims.server_addresses;
  issued.client_to_server_key = claims.client_to_server_key;
  issued.server_to_client_key = claims.server_to_client_key;
  return issued;
}

inline constexpr std::uint64_t kClientUser = 9;  // the fuzzed client_protocol's token

inline void append_frame(std::vector<std::uint8_t>& input, std::uint8_t who, std::span<const std::uint8_t> datagram) {
  input.push_back(who);
  input.push_back(static_cast<std::uint8_t>(datagram.size()));
  input.push_back(static_cast<std::uint8_t>(datagram.size() >> 8));
  input.insert(input.end(), datagram.begin(), datagram.end());
}

}  // namespace udp_fuzz
