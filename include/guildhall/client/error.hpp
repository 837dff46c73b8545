#pragma once
// Every failure the SDK reports: an operation's callback receives client_result<T> (std::expected), and connection
// events carry a client_error. Codes 1..24 mirror the protocol's ErrorCode (docs/protocol.md): the server refused
// the request and the connection stays up. Codes from 100 on are the client's own view of the connection.
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "guildhall/client/export.hpp"

namespace guildhall::client {

enum class client_errc : std::uint16_t {
  // The server's answers (guildhall.v1.ErrorCode), same numbers.
  bad_frame = 1,
  frame_too_large = 2,
  unauthenticated = 3,
  auth_failed = 4,            // wrong password, unknown user, a refresh token already used: log in again
  token_expired = 5,
  rate_limited = 6,           // wait retry_after_ms, then retry
  invalid_utf8 = 7,
  invalid_argument = 8,       // a bug in the caller: empty or too long text, a bad channel name
  not_found = 9,
  not_member = 10,
  already_authenticated = 11,
  unknown_request = 12,
  internal = 13,              // the server failed (database): the request may be retried
  username_taken = 14,
  not_your_turn = 15,
  illegal_move = 16,
  match_closed = 17,
  not_player = 18,
  unavailable = 19,           // the server is saturated: wait retry_after_ms
  room_full = 20,
  room_not_found = 21,
  room_refused = 22,
  already_queued = 23,
  not_online = 24,

  // Local: decided by this client.
  connection_refused = 100,   // nothing listens at the address: wrong port, server down
  timed_out = 101,            // connecting, a handshake or a request took longer than its timeout
  server_gone = 102,          // the server closed with a 3xxx code (shutting down, overloaded): come back later
  kicked = 103,               // the server sent this player away (2xxx code); `message` says why
  protocol_violation = 104,   // the server closed with a 4xxx code: this client broke the protocol (a bug)
  not_connected = 105,        // the operation needs a connection and there is none (yet, or any more)
  network_error = 106,        // the connection failed otherwise (reset, name lookup, TLS)
  bad_snapshot = 107,         // a room snapshot that does not decode (counted; the next full one recovers)
  invalid_options = 108,      // client_options or a call's arguments the SDK refuses before sending anything
  closed = 109,               // the client was closed (disconnect() or destruction) before the answer came
};

struct client_error {
  client_errc code = client_errc::internal;
  std::string message{};                      // for people and logs; do not parse
  std::uint32_t retry_after_ms = 0;         // rate_limited, unavailable: not before this (0: not said)
  std::optional<std::uint16_t> close_code{};  // the connection's close code, when one ended it

  // Worth trying again later as is (as opposed to fixing the request, the login or the build).
  bool transient() const {
    switch (code) {
      case client_errc::rate_limited: case client_errc::unavailable: case client_errc::internal:
      case client_errc::connection_refused: case client_errc::timed_out: case client_errc::server_gone:
      case client_errc::not_connected: case client_errc::network_error:
        return true;
      default:
        return false;
    }
  }
};

template <typename T>
using client_result = std::expected<T, client_error>;

// "connection_refused", "room_full": the enumerator's name.
GUILDHALL_CLIENT_API std::string_view to_string(client_errc code);

}  // namespace guildhall::client
