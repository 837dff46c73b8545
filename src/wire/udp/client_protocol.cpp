#include "wire/udp/client_protocol.hpp"

#include <algorithm>

namespace guildhall::wire::udp {

namespace {

std::uint64_t elapsed(std::uint64_t then, std::uint64_t now) { return now > then ? now - then : 0; }

bool token_well_formed(const issued_connect_token& token) {
  if (token.server_addresses.empty() || token.server_addresses.size() > kMaxServerAddresses) return false;
  if (token.create_timestamp >= token.expire_timestamp) return false;
  if (token.timeout_seconds == 0 || token.timeout_seconds > kMaxTimeoutSeconds) return false;
  return std::ranges::none_of(token.server_addresses,
                              [](const peer_address& a) { return a.family == address_family::none; });
}

}  // namespace

std::string_view to_string(client_state state) {
  switch (state) {
    case client_state::token_expired: return "token_expired";
    case client_state::invalid_token: return "invalid_token";
    case client_state::timed_out: return "timed_out";
    case client_state::response_timed_out: return "response_timed_out";
    case client_state::request_timed_out: return "request_timed_out";
    case client_state::denied: return "denied";
    case client_state::disconnected: return "disconnected";
    case client_state::sending_request: return "sending_request";
    case client_state::sending_response: return "sending_response";
    case client_state::connected: return "connected";
  }
  return "unknown";
}

void client_protocol::connect(const issued_connect_token& token, std::uint64_t now_ms) {
  has_token_ = token_well_formed(token);
  if (!has_token_) {
    state_ = client_state::invalid_token;
    return;
  }
  token_ = token;
  sequence_ = 0;
  keep_alive_ = {};
  timeout_ms_ = std::uint64_t{token.timeout_seconds} * 1000;
  // Capped at 2^32 s (136 years) so a token with an absurd expiry cannot overflow the deadline.
  const std::uint64_t lifetime_s = std::min<std::uint64_t>(token.expire_timestamp - token.create_timestamp, 1ull << 32);
  connect_deadline_ms_ = now_ms + lifetime_s * 1000;
  begin_address(0, now_ms);
}

void client_protocol::begin_address(std::size_t index, std::uint64_t now_ms) {
  address_index_ = index;
  state_ = client_state::sending_request;
  last_receive_ms_ = now_ms;
  send_now_ = true;
  replay_.reset();
}

void client_protocol::fail_over(client_state failure, std::uint64_t now_ms) {
  if (address_index_ + 1 < token_.server_addresses.size()) {
    begin_address(address_index_ + 1, now_ms);
  } else {
    state_ = failure;
  }
}

std::optional<peer_address> client_protocol::server_address() const {
  if (!has_token_) return std::nullopt;
  return token_.server_addresses[address_index_];
}

void client_protocol::update(std::uint64_t now_ms, datagram_sink& out) {
  if (connecting()) {
    if (now_ms >= connect_deadline_ms_) {
      state_ = client_state::token_expired;
      return;
    }
    if (elapsed(last_receive_ms_, now_ms) >= timeout_ms_) {
      fail_over(state_ == client_state::sending_request ? client_state::request_timed_out
                                                        : client_state::response_timed_out,
                now_ms);
      if (!connecting()) return;
    }
    if (send_now_ || elapsed(last_send_ms_, now_ms) >= kKeepAliveIntervalMs) send_handshake(now_ms, out);
  } else if (state_ == client_state::connected) {
    if (elapsed(last_receive_ms_, now_ms) >= timeout_ms_) {
      state_ = client_state::timed_out;
      return;
    }
    if (elapsed(last_send_ms_, now_ms) >= kKeepAliveIntervalMs) {
      send(packet_type::keep_alive, keep_alive_body_bytes(keep_alive_), out);
      last_send_ms_ = now_ms;
    }
  }
}

void client_protocol::send_handshake(std::uint64_t now_ms, datagram_sink& out) {
  if (state_ == client_state::sending_request) {
    connection_request request{token_.expire_timestamp, token_.nonce, token_.sealed_private};
    auto size = encode_connection_request(request, token_.protocol_id, send_buffer_);
    if (size) out.send(*server_address(), std::span<const std::uint8_t>(send_buffer_).first(*size));
  } else {
    send(packet_type::connection_response, challenge_body_bytes(challenge_), out);
  }
  last_send_ms_ = now_ms;
  send_now_ = false;
}

void client_protocol::send(packet_type type, std::span<const std::uint8_t> body, datagram_sink& out) {
  auto size = encode_packet(type, sequence_++, body, token_.protocol_id, token_.client_to_server_key, send_buffer_);
  if (size) out.send(*server_address(), std::span<const std::uint8_t>(send_buffer_).first(*size));
}

void client_protocol::receive(const peer_address& from, std::span<const std::uint8_t> datagram,
                              std::uint64_t now_ms, client_protocol_events& events) {
  if (!connecting() && state_ != client_state::connected) return drop(packet_error::unexpected_type);
  if (from != *server_address()) return drop(packet_error::wrong_address);
  const packet_type_set allowed =
      state_ == client_state::sending_request    ? packet_type_set{packet_type::connection_denied,
                                                                   packet_type::connection_challenge}
      : state_ == client_state::sending_response ? packet_type_set{packet_type::connection_denied,
                                                                   packet_type::keep_alive}
                                                 : packet_type_set{packet_type::keep_alive, packet_type::payload,
                                                                   packet_type::disconnect};
  auto packet = open_packet(datagram, allowed, token_.protocol_id, token_.server_to_client_key, &replay_,
                            receive_scratch_);
  if (!packet) return drop(packet.error());
  switch (packet->type) {
    case packet_type::connection_denied:
      return fail_over(client_state::denied, now_ms);
    case packet_type::connection_challenge: {
      auto body = parse_challenge_body(packet->body);
      if (!body) return drop(body.error());
      challenge_ = *body;
      state_ = client_state::sending_response;
      last_receive_ms_ = now_ms;
      send_now_ = true;
      return;
    }
    case packet_type::keep_alive: {
      auto body = parse_keep_alive_body(packet->body);
      if (!body) return drop(body.error());
      keep_alive_ = *body;
      state_ = client_state::connected;
      last_receive_ms_ = now_ms;
      return;
    }
    case packet_type::payload:
      last_receive_ms_ = now_ms;
      return events.on_payload(packet->sequence, packet->body);
    case packet_type::disconnect:
      state_ = client_state::disconnected;
      return;
    default:
      return drop(packet_error::unexpected_type);
  }
}

bool client_protocol::send_payload(std::span<const std::uint8_t> payload, std::uint64_t now_ms,
                                   datagram_sink& out) {
  if (state_ != client_state::connected || payload.empty() || payload.size() > kMaxPayloadBytes) return false;
  send(packet_type::payload, payload, out);
  last_send_ms_ = now_ms;
  return true;
}

void client_protocol::disconnect(datagram_sink& out) {
  if (state_ == client_state::connected) {
    for (int i = 0; i < kDisconnectPackets; ++i) send(packet_type::disconnect, {}, out);
  }
  state_ = client_state::disconnected;
}

}  // namespace guildhall::wire::udp
