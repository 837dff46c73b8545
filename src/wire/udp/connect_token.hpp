#pragma once
// Connect tokens (netcode STANDARD.md "Connect Token"): the authenticated HTTP/WebSocket session asks for one, the
// server issues it, the client presents its sealed private part in a connection request over UDP. The private part
// is sealed with XChaCha20-Poly1305-IETF under the connect-token key, which only servers hold; its associated data
// (version info, protocol id, expire timestamp) travels in clear in the request and cannot be altered without
// failing the MAC. Plaintext layout (little-endian), zero-padded to 1008 bytes, then the 16-byte MAC:
//   client_id u64 | timeout_seconds u32 | address count u32 | per address: type u8 (1 IPv4, 2 IPv6),
//   4 or 16 address bytes in network order, port u16 | client_to_server_key 32 | server_to_client_key 32 |
//   user_data 256
// Thread-safety: free functions over values; safe from any thread.
#include <array>
#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "wire/udp/packet_error.hpp"
#include "wire/udp/peer_address.hpp"
#include "wire/udp/udp_limits.hpp"

namespace guildhall::wire::udp {

using key = std::array<std::uint8_t, kKeyBytes>;
using token_nonce = std::array<std::uint8_t, kConnectTokenNonceBytes>;
using user_data_bytes = std::array<std::uint8_t, kUserDataBytes>;
using sealed_private_token = std::array<std::uint8_t, kConnectTokenPrivateBytes>;
inline constexpr std::size_t kConnectTokenPlainBytes = kConnectTokenPrivateBytes - kMacBytes;  // 1008

struct connect_token_private {
  std::uint64_t client_id = 0;  // the user id
  std::uint32_t timeout_seconds = kDefaultTimeoutSeconds;  // silence after which either side drops the other
  std::vector<peer_address> server_addresses;              // 1..kMaxServerAddresses, tried in order
  key client_to_server_key{};
  key server_to_client_key{};
  user_data_bytes user_data{};  // a packed token_identity (pack_identity)

  bool operator==(const connect_token_private&) const = default;
};

// Who the connection belongs to, carried in user_data: user_id u64 | session_id u64 | username length u8 |
// username (UTF-8, <= kMaxUsernameBytes), zero padded. The server fills it from the authenticated session.
struct token_identity {
  std::uint64_t user_id = 0;
  std::string username;
  std::uint64_t session_id = 0;

  bool operator==(const token_identity&) const = default;
};

// errc::invalid_argument when the username is longer than kMaxUsernameBytes or not UTF-8.
result<user_data_bytes> pack_identity(const token_identity& identity);
// bad_user_data for a length over kMaxUsernameBytes, invalid UTF-8, or non-zero padding.
std::expected<token_identity, packet_error> unpack_identity(std::span<const std::uint8_t, kUserDataBytes> data);

// Everything the client needs; travels to it over the authenticated HTTPS/WebSocket session (which keeps the two
// keys secret). The private part's keys equal the two keys here: issue_connect_token generates both.
struct issued_connect_token {
  std::uint64_t protocol_id = 0;
  std::uint64_t create_timestamp = 0;  // Unix seconds
  std::uint64_t expire_timestamp = 0;  // Unix seconds; a request must arrive before it
  token_nonce nonce{};
  sealed_private_token sealed_private{};
  std::uint32_t timeout_seconds = kDefaultTimeoutSeconds;
  std::vector<peer_address> server_addresses;
  key client_to_server_key{};
  key server_to_client_key{};
};

// A fresh random key (libsodium's CSPRNG).
key generate_key();

// Seals `claims` with a random nonce and fresh random client/server keys (the keys in `claims` are replaced), valid
// from now_s for lifetime_s seconds. errc::invalid_argument when the claims are out of range (address count
// outside 1..kMaxServerAddresses, an empty address, timeout outside 1..kMaxTimeoutSeconds) or lifetime_s is 0.
result<issued_connect_token> issue_connect_token(const connect_token_private& claims, std::uint64_t protocol_id,
                                                 std::uint64_t now_s, std::uint32_t lifetime_s,
                                                 const key& token_key);

// The deterministic core of issue_connect_token (tests, fuzz seeds): seals `token` as is. token_malformed when
// the token is out of range as above.
std::expected<sealed_private_token, packet_error> seal_connect_token(const connect_token_private& token,
                                                                     std::uint64_t protocol_id,
                                                                     std::uint64_t expire_timestamp,
                                                                     const token_nonce& nonce, const key& token_key);

// Opens a sealed private part. token_decrypt_failed when the MAC fails (wrong key, protocol id, expire timestamp,
// nonce, or any tampered byte); token_malformed when it opens but its fields are out of range. Expiry against the
// clock is the caller's check (it needs the time; this does not).
std::expected<connect_token_private, packet_error> open_connect_token(
    std::span<const std::uint8_t, kConnectTokenPrivateBytes> sealed, const token_nonce& nonce,
    std::uint64_t protocol_id, std::uint64_t expire_timestamp, const key& token_key);

// The plaintext layout alone, exposed for the fuzz target. write_* fails (token_malformed) on out-of-range fields.
std::expected<void, packet_error> write_connect_token_private(const connect_token_private& token,
                                                              std::span<std::uint8_t, kConnectTokenPlainBytes> out);
std::expected<connect_token_private, packet_error> read_connect_token_private(
    std::span<const std::uint8_t, kConnectTokenPlainBytes> plain);

// Associated data of the sealed private part: version info | protocol id u64 | expire timestamp u64.
inline constexpr std::size_t kConnectTokenAdBytes = kVersionInfoBytes + 8 + 8;
std::array<std::uint8_t, kConnectTokenAdBytes> connect_token_ad(std::uint64_t protocol_id,
                                                                std::uint64_t expire_timestamp);

}  // namespace guildhall::wire::udp
