#pragma once
// Why the connection layer refused a datagram, a token or a packet. Every refusal is silent on the wire (nothing is
// answered) and counted per reason, so an operator can tell a flood of garbage from expired tokens from a replay.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace guildhall::wire::udp {

enum class packet_error : std::uint8_t {
  too_short,              // smaller than any packet of its type can be
  too_long,               // larger than kMaxDatagramBytes, or a request of the wrong size
  bad_prefix,             // sequence byte count outside [1,8], or an unknown packet type
  unexpected_type,        // a valid type this side does not accept in its current state
  bad_version,            // version info other than kVersionInfo
  wrong_protocol_id,
  token_expired,          // connect token expire timestamp <= now
  token_decrypt_failed,   // sealed private token does not open with our key (forged, tampered, other server)
  token_malformed,        // opened, but its fields are out of range
  bad_user_data,          // the token's user data is not a valid token_identity
  address_not_listed,     // the token does not name any of our public addresses
  token_in_use,           // the token was already used from another address (a replayed request)
  decrypt_failed,         // an encrypted packet fails authentication
  replayed,               // sequence already received, or older than the replay window
  bad_body_size,          // decrypted body size wrong for its type
  payload_too_large,      // payload over kMaxPayloadBytes
  unknown_address,        // not a request, from an address with neither a connection nor a pending handshake
  already_connected,      // a request or response from an address, or for a client id, that is connected
  challenge_failed,       // the challenge token does not open, or belongs to another client
  pending_table_full,     // no room for another pending handshake (see server_protocol_config)
  wrong_address,          // client: a packet not from the server it is talking to
};
inline constexpr std::size_t kPacketErrorCount = static_cast<std::size_t>(packet_error::wrong_address) + 1;

std::string_view to_string(packet_error error);

// Drop counters indexed by packet_error.
using packet_error_counts = std::array<std::uint64_t, kPacketErrorCount>;

}  // namespace guildhall::wire::udp
