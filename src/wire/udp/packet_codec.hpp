#pragma once
// The seven packet types of the connection layer (netcode STANDARD.md "Packets") and their encryption. Layouts
// (integers little-endian):
//   connection request (0), 1078 bytes, in clear: prefix 0 | version info 13 | protocol id u64 |
//     expire timestamp u64 | token nonce 24 | sealed private token 1024
//   every other type: prefix | sequence (1..8 bytes, low byte first, high zero bytes left out) |
//     encrypted body | MAC 16. Prefix = (sequence byte count << 4) | type.
//   bodies: denied (1) empty; challenge (2) and response (3) challenge sequence u64 + sealed challenge token 300;
//     keep-alive (4) client index u32 + max clients u32; payload (5) 1..kMaxPayloadBytes opaque bytes (the
//     reliability layer's packet); disconnect (6) empty.
// Bodies are sealed with ChaCha20-Poly1305-IETF under the direction's key from the connect token, nonce = 4 zero
// bytes + sequence u64, associated data = version info | protocol id u64 | prefix byte (so the type cannot be
// altered). Encoders write into the caller's buffer (no allocation: the transport encrypts straight into its
// sendmmsg batch); decoders refuse with a packet_error, in netcode's order so the cheapest checks come first.
// Thread-safety: free functions; the replay window passed to open_packet belongs to the caller.
#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <initializer_list>
#include <span>

#include "wire/udp/challenge_token.hpp"
#include "wire/udp/connect_token.hpp"
#include "wire/udp/packet_error.hpp"
#include "wire/udp/replay_window.hpp"
#include "wire/udp/udp_limits.hpp"

namespace guildhall::wire::udp {

enum class packet_type : std::uint8_t {
  connection_request = 0,
  connection_denied = 1,
  connection_challenge = 2,
  connection_response = 3,
  keep_alive = 4,
  payload = 5,
  disconnect = 6,
};
inline constexpr std::size_t kPacketTypeCount = 7;

// The packet types a side accepts in its current state.
class packet_type_set {
 public:
  constexpr packet_type_set(std::initializer_list<packet_type> types) {
    for (auto type : types) bits_ |= static_cast<std::uint8_t>(1u << static_cast<unsigned>(type));
  }
  constexpr bool contains(packet_type type) const { return (bits_ >> static_cast<unsigned>(type)) & 1u; }

 private:
  std::uint8_t bits_ = 0;
};

struct connection_request {
  std::uint64_t expire_timestamp = 0;  // Unix seconds
  token_nonce nonce{};
  sealed_private_token sealed_private{};
};

struct challenge_body {  // body of both connection challenge and connection response
  std::uint64_t challenge_sequence = 0;
  sealed_challenge_token token{};
};

struct keep_alive_body {
  std::uint32_t client_index = 0;
  std::uint32_t max_clients = 0;
};

// Writes kConnectionRequestBytes; too_long when `out` is smaller (the caller's buffer, not the peer, is at fault).
std::expected<std::size_t, packet_error> encode_connection_request(const connection_request& request,
                                                                   std::uint64_t protocol_id,
                                                                   std::span<std::uint8_t> out);
// Checks, in order: size (exactly 1078), prefix, version, protocol id, expiry (expire <= now_s is refused). The
// sealed token is not opened here: that is the expensive step, left to the caller once the cheap checks pass.
std::expected<connection_request, packet_error> decode_connection_request(std::span<const std::uint8_t> datagram,
                                                                          std::uint64_t protocol_id,
                                                                          std::uint64_t now_s);

// Encrypts `body` as a packet of `type` with `sequence` into `out`; returns the datagram size. Refuses
// unexpected_type for a connection request, bad_body_size / payload_too_large for a body of the wrong size for
// its type, too_long when `out` cannot hold the packet. A sequence must never repeat under one key.
std::expected<std::size_t, packet_error> encode_packet(packet_type type, std::uint64_t sequence,
                                                       std::span<const std::uint8_t> body, std::uint64_t protocol_id,
                                                       const key& write_key, std::span<std::uint8_t> out);

std::array<std::uint8_t, kChallengeBodyBytes> challenge_body_bytes(const challenge_body& body);
std::array<std::uint8_t, kKeepAliveBodyBytes> keep_alive_body_bytes(const keep_alive_body& body);
// Both expect a body open_packet already checked for size; bad_body_size otherwise.
std::expected<challenge_body, packet_error> parse_challenge_body(std::span<const std::uint8_t> body);
std::expected<keep_alive_body, packet_error> parse_keep_alive_body(std::span<const std::uint8_t> body);

struct packet_header {
  packet_type type = packet_type::connection_request;
  std::uint64_t sequence = 0;
  std::size_t header_bytes = 0;  // prefix + sequence bytes
};

// The clear header of an encrypted packet: sizes (too_short, too_long), type and sequence byte count (bad_prefix).
// A connection request (prefix 0) is bad_prefix here: it has no sequence and goes to decode_connection_request.
std::expected<packet_header, packet_error> peek_packet_header(std::span<const std::uint8_t> datagram);

struct opened_packet {
  packet_type type = packet_type::connection_request;
  std::uint64_t sequence = 0;
  std::span<const std::uint8_t> body;  // points into the caller's scratch buffer
};

// Reads an encrypted packet in netcode's order: header (peek_packet_header), type in `allowed` (unexpected_type),
// replay check (replayed; keep-alive, payload and disconnect only, and only when `replay` is given), decryption
// (decrypt_failed), replay advance, body size for the type (bad_body_size, payload_too_large).
std::expected<opened_packet, packet_error> open_packet(std::span<const std::uint8_t> datagram,
                                                       packet_type_set allowed, std::uint64_t protocol_id,
                                                       const key& read_key, replay_window* replay,
                                                       std::span<std::uint8_t, kMaxDatagramBytes> scratch);

// The body size rule per type: empty for denied and disconnect, kChallengeBodyBytes for challenge and response,
// kKeepAliveBodyBytes for keep-alive, 1..kMaxPayloadBytes for payload.
std::expected<void, packet_error> check_body_size(packet_type type, std::size_t body_bytes);

}  // namespace guildhall::wire::udp
