#include "wire/udp/packet_error.hpp"

namespace guildhall::wire::udp {

std::string_view to_string(packet_error error) {
  switch (error) {
    case packet_error::too_short: return "too_short";
    case packet_error::too_long: return "too_long";
    case packet_error::bad_prefix: return "bad_prefix";
    case packet_error::unexpected_type: return "unexpected_type";
    case packet_error::bad_version: return "bad_version";
    case packet_error::wrong_protocol_id: return "wrong_protocol_id";
    case packet_error::token_expired: return "token_expired";
    case packet_error::token_decrypt_failed: return "token_decrypt_failed";
    case packet_error::token_malformed: return "token_malformed";
    case packet_error::bad_user_data: return "bad_user_data";
    case packet_error::address_not_listed: return "address_not_listed";
    case packet_error::token_in_use: return "token_in_use";
    case packet_error::decrypt_failed: return "decrypt_failed";
    case packet_error::replayed: return "replayed";
    case packet_error::bad_body_size: return "bad_body_size";
    case packet_error::payload_too_large: return "payload_too_large";
    case packet_error::unknown_address: return "unknown_address";
    case packet_error::already_connected: return "already_connected";
    case packet_error::challenge_failed: return "challenge_failed";
    case packet_error::pending_table_full: return "pending_table_full";
    case packet_error::wrong_address: return "wrong_address";
  }
  return "unknown";
}

}  // namespace guildhall::wire::udp
