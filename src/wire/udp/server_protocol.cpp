#include "wire/udp/server_protocol.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "wire/udp/challenge_token.hpp"

namespace guildhall::wire::udp {

namespace {

// Time since `then`, zero when the clock stepped back past it.
std::uint64_t elapsed(std::uint64_t then, std::uint64_t now) { return now > then ? now - then : 0; }

constexpr std::size_t kMaxClientsCap = 65536;  // slot indices travel as u32; beyond this a shard is misconfigured

}  // namespace

std::string_view to_string(disconnect_reason reason) {
  switch (reason) {
    case disconnect_reason::timed_out: return "timed_out";
    case disconnect_reason::client_left: return "client_left";
    case disconnect_reason::server_closed: return "server_closed";
  }
  return "unknown";
}

std::expected<void, error> server_protocol_config::validate() const {
  if (public_addresses.empty()) return fail(errc::invalid_argument, "udp: no public address");
  if (max_clients == 0 || max_clients > kMaxClientsCap) {
    return fail(errc::invalid_argument, "udp: max_clients must be 1..65536");
  }
  if (max_pending == 0) return fail(errc::invalid_argument, "udp: max_pending must be positive");
  if (max_token_entries == 0) return fail(errc::invalid_argument, "udp: max_token_entries must be positive");
  return {};
}

std::size_t server_protocol::token_mac_hash::operator()(const token_mac& mac) const noexcept {
  // MACs enter the table only after their token authenticated, so they are unpredictable to an attacker.
  std::size_t value = 0;
  std::memcpy(&value, mac.data(), sizeof value);
  return value;
}

server_protocol::server_protocol(server_protocol_config config, server_protocol_events& events)
    : config_(std::move(config)), events_(events) {
  if (auto valid = config_.validate(); !valid) throw std::invalid_argument(valid.error().message);
  challenge_key_ = config_.challenge_key ? *config_.challenge_key : generate_key();
  slots_.resize(config_.max_clients);
  free_slots_.reserve(config_.max_clients);
  // Hand out slot 0 first, so client indices are small and stable in tests.
  for (std::size_t i = config_.max_clients; i > 0; --i) free_slots_.push_back(static_cast<std::uint32_t>(i - 1));
}

void server_protocol::receive(const peer_address& from, std::span<const std::uint8_t> datagram,
                              std::uint64_t now_ms, datagram_sink& out) {
  if (datagram.empty()) return drop(packet_error::too_short);
  if (datagram[0] == 0) return handle_request(from, datagram, now_ms, out);
  if (auto slot = by_address_.find(from); slot != by_address_.end()) {
    return handle_connected(slot->second, datagram, now_ms);
  }
  auto pending = pending_.find(from);
  if (pending == pending_.end()) return drop(packet_error::unknown_address);
  if (now_ms >= pending->second.deadline_ms) {
    end_handshake(pending);
    return drop(packet_error::unknown_address);
  }
  handle_response(from, pending->second, datagram, now_ms, out);
}

void server_protocol::handle_request(const peer_address& from, std::span<const std::uint8_t> datagram,
                                     std::uint64_t now_ms, datagram_sink& out) {
  auto request = decode_connection_request(datagram, config_.protocol_id, now_ms / 1000);
  if (!request) return drop(request.error());
  auto token = open_connect_token(request->sealed_private, request->nonce, config_.protocol_id,
                                  request->expire_timestamp, config_.connect_token_key);
  if (!token) return drop(token.error());
  const bool ours = std::ranges::any_of(token->server_addresses, [this](const peer_address& a) {
    return std::ranges::find(config_.public_addresses, a) != config_.public_addresses.end();
  });
  if (!ours) return drop(packet_error::address_not_listed);
  if (!unpack_identity(token->user_data)) return drop(packet_error::bad_user_data);
  if (by_address_.contains(from) || by_client_id_.contains(token->client_id)) {
    return drop(packet_error::already_connected);
  }
  token_mac mac;
  std::ranges::copy(std::span(request->sealed_private).last(kMacBytes), mac.begin());
  // Saturated: the expiry is authenticated but still only a number; 2^53 ms is far past any real token.
  const std::uint64_t expire_ms = std::min<std::uint64_t>(request->expire_timestamp, 1ull << 43) * 1000;
  token_entry* entry = remember_token(mac, from, expire_ms);
  if (!entry) return drop(packet_error::token_in_use);
  if (config_.claim_token && !config_.claim_token(mac, from, expire_ms)) return drop(packet_error::token_in_use);
  if (free_slots_.empty()) {
    // Sequence from the token entry (or the handshake that holds it), so a repeated denial never reuses a nonce.
    auto held = pending_.find(from);
    std::uint64_t& sequence = held != pending_.end() && held->second.mac == mac ? held->second.send_sequence
                                                                                 : entry->next_sequence;
    ++denied_;
    return send_packet(from, packet_type::connection_denied, {}, token->server_to_client_key, sequence, out);
  }
  pending_handshake* pending = start_handshake(from, *token, mac, *entry, now_ms);
  if (!pending) return drop(packet_error::pending_table_full);
  challenge_body body;
  body.challenge_sequence = challenge_sequence_++;
  body.token = seal_challenge_token({token->client_id, token->user_data}, body.challenge_sequence, challenge_key_);
  const auto bytes = challenge_body_bytes(body);
  send_packet(from, packet_type::connection_challenge, bytes, pending->server_to_client_key, pending->send_sequence,
              out);
}

server_protocol::token_entry* server_protocol::remember_token(const token_mac& mac, const peer_address& from,
                                                              std::uint64_t expire_ms) {
  if (auto it = tokens_.find(mac); it != tokens_.end()) {
    return it->second.first_address == from ? &it->second : nullptr;
  }
  if (tokens_.size() >= config_.max_token_entries) {
    tokens_.erase(token_order_.front());
    token_order_.pop_front();
  }
  token_order_.push_back(mac);
  return &tokens_.emplace(mac, token_entry{from, expire_ms, 0}).first->second;
}

server_protocol::pending_handshake* server_protocol::start_handshake(const peer_address& from,
                                                                     const connect_token_private& token,
                                                                     const token_mac& mac, token_entry& entry,
                                                                     std::uint64_t now_ms) {
  auto it = pending_.find(from);
  if (it != pending_.end() && it->second.mac == mac) return &it->second;  // a resent request: same handshake
  if (it != pending_.end()) {
    end_handshake(it);  // the address came back with another token
  } else if (pending_.size() >= config_.max_pending) {
    return nullptr;
  }
  pending_handshake pending;
  pending.mac = mac;
  pending.client_id = token.client_id;
  pending.client_to_server_key = token.client_to_server_key;
  pending.server_to_client_key = token.server_to_client_key;
  pending.send_sequence = entry.next_sequence;
  pending.timeout_ms = token.timeout_seconds * 1000;
  pending.deadline_ms = std::min(now_ms + pending.timeout_ms, entry.expire_ms);
  return &pending_.insert_or_assign(from, pending).first->second;
}

void server_protocol::handle_response(const peer_address& from, pending_handshake& pending,
                                      std::span<const std::uint8_t> datagram, std::uint64_t now_ms,
                                      datagram_sink& out) {
  auto packet = open_packet(datagram, {packet_type::connection_response}, config_.protocol_id,
                            pending.client_to_server_key, nullptr, receive_scratch_);
  if (!packet) return drop(packet.error());
  auto body = parse_challenge_body(packet->body);
  if (!body) return drop(body.error());
  auto challenge = open_challenge_token(body->token, body->challenge_sequence, challenge_key_);
  // A response must carry a challenge issued for this handshake's client, not one copied from another's.
  if (!challenge || challenge->client_id != pending.client_id) return drop(packet_error::challenge_failed);
  if (by_client_id_.contains(challenge->client_id)) return drop(packet_error::already_connected);
  auto identity = unpack_identity(challenge->user_data);
  if (!identity) return drop(identity.error());
  if (free_slots_.empty()) {
    ++denied_;
    return send_packet(from, packet_type::connection_denied, {}, pending.server_to_client_key, pending.send_sequence,
                       out);
  }
  const pending_handshake admitted = pending;
  pending_.erase(from);  // its sequence moves to the slot
  connect_client(from, admitted, *identity, now_ms, out);
}

void server_protocol::connect_client(const peer_address& from, const pending_handshake& pending,
                                     const token_identity& identity, std::uint64_t now_ms, datagram_sink& out) {
  const std::uint32_t index = free_slots_.back();
  free_slots_.pop_back();
  client_slot& slot = slots_[index];
  slot.used = true;
  slot.confirmed = false;
  slot.address = from;
  slot.client_id = pending.client_id;
  slot.mac = pending.mac;
  slot.client_to_server_key = pending.client_to_server_key;
  slot.server_to_client_key = pending.server_to_client_key;
  slot.send_sequence = pending.send_sequence;
  slot.timeout_ms = pending.timeout_ms;
  slot.last_receive_ms = now_ms;
  slot.replay.reset();
  by_address_.emplace(from, index);
  by_client_id_.emplace(pending.client_id, index);
  send_keep_alive(index, now_ms, out);  // tells the client it is in (netcode)
  events_.on_connected(client_handle{index, slot.generation}, from, identity);
}

void server_protocol::handle_connected(std::uint32_t index, std::span<const std::uint8_t> datagram,
                                       std::uint64_t now_ms) {
  client_slot& slot = slots_[index];
  auto packet = open_packet(datagram, {packet_type::keep_alive, packet_type::payload, packet_type::disconnect},
                            config_.protocol_id, slot.client_to_server_key, &slot.replay, receive_scratch_);
  if (!packet) return drop(packet.error());
  slot.last_receive_ms = now_ms;
  switch (packet->type) {
    case packet_type::keep_alive:
      slot.confirmed = true;
      break;
    case packet_type::payload:
      slot.confirmed = true;
      events_.on_payload(client_handle{index, slot.generation}, packet->sequence, packet->body);
      break;
    case packet_type::disconnect:
      free_slot(index, disconnect_reason::client_left);
      break;
    default:
      break;
  }
}

bool server_protocol::send_payload(client_handle client, std::span<const std::uint8_t> payload,
                                   std::uint64_t now_ms, datagram_sink& out) {
  client_slot* slot = find(client);
  if (!slot || payload.empty() || payload.size() > kMaxPayloadBytes) return false;
  // Until the client answers, each payload follows a keep-alive: if the handshake's keep-alive was lost, the
  // client would drop payloads while it still waits to be told it is connected.
  if (!slot->confirmed) send_keep_alive(client.slot, now_ms, out);
  send_packet(slot->address, packet_type::payload, payload, slot->server_to_client_key, slot->send_sequence, out);
  slot->last_send_ms = now_ms;
  return true;
}

std::optional<std::uint64_t> server_protocol::next_payload_sequence(client_handle client) const {
  const client_slot* slot = find(client);
  if (!slot) return std::nullopt;
  // An unconfirmed client gets a keep-alive before each payload (send_payload), which takes a sequence first.
  return slot->send_sequence + (slot->confirmed ? 0 : 1);
}

void server_protocol::update(std::uint64_t now_ms, datagram_sink& out) {
  for (std::uint32_t index = 0; index < slots_.size(); ++index) {
    client_slot& slot = slots_[index];
    if (!slot.used) continue;
    if (elapsed(slot.last_receive_ms, now_ms) >= slot.timeout_ms) {
      free_slot(index, disconnect_reason::timed_out);
    } else if (elapsed(slot.last_send_ms, now_ms) >= kKeepAliveIntervalMs) {
      send_keep_alive(index, now_ms, out);
    }
  }
  for (auto it = pending_.begin(); it != pending_.end();) {
    auto next = std::next(it);
    if (now_ms >= it->second.deadline_ms) end_handshake(it);
    it = next;
  }
  // Roughly oldest first; an entry issued with a longer lifetime may wait behind a shorter one, never longer than
  // the cap allows.
  while (!token_order_.empty()) {
    auto it = tokens_.find(token_order_.front());
    if (it != tokens_.end() && it->second.expire_ms > now_ms) break;
    if (it != tokens_.end()) tokens_.erase(it);
    token_order_.pop_front();
  }
}

void server_protocol::disconnect(client_handle client, datagram_sink& out) {
  client_slot* slot = find(client);
  if (!slot) return;
  for (int i = 0; i < kDisconnectPackets; ++i) {
    send_packet(slot->address, packet_type::disconnect, {}, slot->server_to_client_key, slot->send_sequence, out);
  }
  free_slot(client.slot, disconnect_reason::server_closed);
}

std::optional<peer_address> server_protocol::address_of(client_handle client) const {
  if (client.slot >= slots_.size()) return std::nullopt;
  const client_slot& slot = slots_[client.slot];
  if (!slot.used || slot.generation != client.generation) return std::nullopt;
  return slot.address;
}

server_protocol::client_slot* server_protocol::find(client_handle client) {
  return const_cast<client_slot*>(std::as_const(*this).find(client));
}

const server_protocol::client_slot* server_protocol::find(client_handle client) const {
  if (client.slot >= slots_.size()) return nullptr;
  const client_slot& slot = slots_[client.slot];
  return slot.used && slot.generation == client.generation ? &slot : nullptr;
}

void server_protocol::free_slot(std::uint32_t index, disconnect_reason reason) {
  client_slot& slot = slots_[index];
  const client_handle handle{index, slot.generation};
  save_sequence(slot.mac, slot.send_sequence);
  by_address_.erase(slot.address);
  by_client_id_.erase(slot.client_id);
  slot.used = false;
  ++slot.generation;
  free_slots_.push_back(index);
  ++disconnects_[static_cast<std::size_t>(reason)];
  events_.on_disconnected(handle, reason);  // last: the handler may reuse the slot through other calls
}

void server_protocol::end_handshake(std::unordered_map<peer_address, pending_handshake>::iterator it) {
  save_sequence(it->second.mac, it->second.send_sequence);
  pending_.erase(it);
}

void server_protocol::save_sequence(const token_mac& mac, std::uint64_t next_sequence) {
  if (auto it = tokens_.find(mac); it != tokens_.end()) {
    it->second.next_sequence = std::max(it->second.next_sequence, next_sequence);
  }
}

void server_protocol::send_keep_alive(std::uint32_t index, std::uint64_t now_ms, datagram_sink& out) {
  client_slot& slot = slots_[index];
  const auto body = keep_alive_body_bytes({index, static_cast<std::uint32_t>(config_.max_clients)});
  send_packet(slot.address, packet_type::keep_alive, body, slot.server_to_client_key, slot.send_sequence, out);
  slot.last_send_ms = now_ms;
}

void server_protocol::send_packet(const peer_address& to, packet_type type, std::span<const std::uint8_t> body,
                                  const key& write_key, std::uint64_t& sequence, datagram_sink& out) {
  auto size = encode_packet(type, sequence++, body, config_.protocol_id, write_key, send_buffer_);
  if (size) out.send(to, std::span<const std::uint8_t>(send_buffer_).first(*size));
}

}  // namespace guildhall::wire::udp
