#pragma once
// Errors are values: expected outcomes (bad input, not found, taken) travel as `result<T>`; exceptions are kept
// for start-up failures and programmer errors.
#include <cstdint>
#include <expected>
#include <string>
#include <utility>

namespace guildhall {

// Error kinds shared by every layer. The wire layer maps them 1:1 onto guildhall.v1.ErrorCode.
enum class errc {
  bad_frame = 1,
  frame_too_large,
  unauthenticated,
  auth_failed,
  token_expired,
  rate_limited,
  invalid_utf8,
  invalid_argument,
  not_found,
  not_member,
  already_authenticated,
  unknown_request,
  internal,
  conflict,  // a unique value is already taken (username); HTTP 409
  not_your_turn,
  illegal_move,
  match_closed,
  not_player,
  unavailable,  // a bounded queue is full: refused at once, retry after `retry_after_ms`; HTTP 503
  room_full,       // no seat or place left, locked, private, or the server's room cap
  room_not_found,  // no such room or room type
  room_refused,    // the room's game said no; the message is its reason
  already_queued,  // the user (or a party member) already holds a matchmaker ticket
  not_online,      // a party member has no connection: only people online can be matched
};

struct error {
  errc code;
  std::string message;
  std::uint32_t retry_after_ms = 0;  // for unavailable and rate_limited: when trying again may succeed
};

template <typename T>
using result = std::expected<T, error>;

inline std::unexpected<error> fail(errc code, std::string message) {
  return std::unexpected<error>(error{code, std::move(message)});
}

}  // namespace guildhall
