// to_string(client_errc) and validate(client_options): the public error and options helpers.
#include "guildhall/client/error.hpp"
#include "guildhall/client/options.hpp"

namespace guildhall::client {

std::string_view to_string(client_errc code) {
  switch (code) {
    case client_errc::bad_frame: return "bad_frame";
    case client_errc::frame_too_large: return "frame_too_large";
    case client_errc::unauthenticated: return "unauthenticated";
    case client_errc::auth_failed: return "auth_failed";
    case client_errc::token_expired: return "token_expired";
    case client_errc::rate_limited: return "rate_limited";
    case client_errc::invalid_utf8: return "invalid_utf8";
    case client_errc::invalid_argument: return "invalid_argument";
    case client_errc::not_found: return "not_found";
    case client_errc::not_member: return "not_member";
    case client_errc::already_authenticated: return "already_authenticated";
    case client_errc::unknown_request: return "unknown_request";
    case client_errc::internal: return "internal";
    case client_errc::username_taken: return "username_taken";
    case client_errc::not_your_turn: return "not_your_turn";
    case client_errc::illegal_move: return "illegal_move";
    case client_errc::match_closed: return "match_closed";
    case client_errc::not_player: return "not_player";
    case client_errc::unavailable: return "unavailable";
    case client_errc::room_full: return "room_full";
    case client_errc::room_not_found: return "room_not_found";
    case client_errc::room_refused: return "room_refused";
    case client_errc::already_queued: return "already_queued";
    case client_errc::not_online: return "not_online";
    case client_errc::connection_refused: return "connection_refused";
    case client_errc::timed_out: return "timed_out";
    case client_errc::server_gone: return "server_gone";
    case client_errc::kicked: return "kicked";
    case client_errc::protocol_violation: return "protocol_violation";
    case client_errc::not_connected: return "not_connected";
    case client_errc::network_error: return "network_error";
    case client_errc::bad_snapshot: return "bad_snapshot";
    case client_errc::invalid_options: return "invalid_options";
    case client_errc::closed: return "closed";
  }
  return "unknown";
}

client_result<void> validate(const client_options& options) {
  const auto refuse = [](std::string why) {
    return std::unexpected(client_error{client_errc::invalid_options, std::move(why), 0, {}});
  };
  if (options.server_url.empty()) return refuse("server_url is empty");
  if (options.connect_timeout_ms == 0) return refuse("connect_timeout_ms must be above 0");
  if (options.handshake_timeout_ms == 0) return refuse("handshake_timeout_ms must be above 0");
  if (options.login_timeout_ms == 0) return refuse("login_timeout_ms must be above 0");
  if (options.dead_after_ms != 0 && options.ping_interval_ms != 0 && options.dead_after_ms <= options.ping_interval_ms) {
    return refuse("dead_after_ms must exceed ping_interval_ms");
  }
  const auto& again = options.reconnection;
  if (again.jitter < 0 || again.jitter >= 1) return refuse("reconnection.jitter must be in [0, 1)");
  if (again.first_delay_ms == 0 || again.max_delay_ms < again.first_delay_ms) {
    return refuse("reconnection delays must satisfy 0 < first_delay_ms <= max_delay_ms");
  }
  return {};
}

}  // namespace guildhall::client
