#pragma once
// The client side of the UDP connection layer (netcode STANDARD.md "Client State Machine"), sans-I/O: the game's
// transport hands it datagrams and the time and gives it a sink. It sends connection requests, then responses, at
// 10 Hz until answered, tries the token's next server address after a denial or a time-out, and once connected
// sends keep-alives when the game sends nothing for kKeepAliveIntervalMs.
// One token serves one connection: connecting twice with the same token would repeat packet sequences under its
// client-to-server key, so a reconnect asks the server for a fresh token.
// Time: `now_ms` is any millisecond clock that does not go backwards (steady_clock); the token's lifetime
// (expire - create) is counted from connect().
// Thread-safety: none; owned by one thread.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "wire/udp/connect_token.hpp"
#include "wire/udp/datagram_sink.hpp"
#include "wire/udp/packet_codec.hpp"
#include "wire/udp/packet_error.hpp"
#include "wire/udp/replay_window.hpp"

namespace guildhall::wire::udp {

enum class client_state : std::int8_t {
  token_expired = -6,       // the connect token's lifetime ran out before a connection was made
  invalid_token = -5,       // the token is malformed (addresses, timestamps, timeout)
  timed_out = -4,           // connected, then nothing heard for the token's timeout
  response_timed_out = -3,  // no keep-alive after our responses, on every address
  request_timed_out = -2,   // no challenge after our requests, on every address
  denied = -1,              // every address answered "denied" (full)
  disconnected = 0,         // never connected, or left cleanly (either side)
  sending_request = 1,
  sending_response = 2,
  connected = 3,
};
std::string_view to_string(client_state state);

class client_protocol_events {
 public:
  virtual ~client_protocol_events() = default;
  // `payload` (1..kMaxPayloadBytes) is valid only during the call; `sequence` is the packet's, under which it was
  // encrypted.
  virtual void on_payload(std::uint64_t sequence, std::span<const std::uint8_t> payload) = 0;
};

class client_protocol {
 public:
  // Starts connecting to the token's first server address; the first request goes out on the next update().
  // A malformed token leaves the client in invalid_token.
  void connect(const issued_connect_token& token, std::uint64_t now_ms);
  void update(std::uint64_t now_ms, datagram_sink& out);
  void receive(const peer_address& from, std::span<const std::uint8_t> datagram, std::uint64_t now_ms,
               client_protocol_events& events);
  // False unless connected, or for a payload outside 1..kMaxPayloadBytes.
  bool send_payload(std::span<const std::uint8_t> payload, std::uint64_t now_ms, datagram_sink& out);
  // The sequence the next send_payload() will be encrypted under, while connected: the message layer numbers its
  // packets with it (endpoint_config::sequence_from_transport).
  std::optional<std::uint64_t> next_payload_sequence() const {
    return state_ == client_state::connected ? std::optional(sequence_) : std::nullopt;
  }
  // When connected, sends kDisconnectPackets disconnect packets; in any case ends in `disconnected`.
  void disconnect(datagram_sink& out);

  client_state state() const { return state_; }
  bool connecting() const {
    return state_ == client_state::sending_request || state_ == client_state::sending_response;
  }
  // The address being tried or connected to; nullopt before connect() or after an invalid token.
  std::optional<peer_address> server_address() const;
  std::uint32_t client_index() const { return keep_alive_.client_index; }  // from the server's keep-alive
  std::uint32_t max_clients() const { return keep_alive_.max_clients; }
  const packet_error_counts& drops() const { return drops_; }
  std::uint64_t drops(packet_error error) const { return drops_[static_cast<std::size_t>(error)]; }

 private:
  void begin_address(std::size_t index, std::uint64_t now_ms);
  void fail_over(client_state failure, std::uint64_t now_ms);
  void send_handshake(std::uint64_t now_ms, datagram_sink& out);
  void send(packet_type type, std::span<const std::uint8_t> body, datagram_sink& out);
  void drop(packet_error error) { ++drops_[static_cast<std::size_t>(error)]; }

  issued_connect_token token_;
  bool has_token_ = false;
  client_state state_ = client_state::disconnected;
  std::size_t address_index_ = 0;
  std::uint64_t connect_deadline_ms_ = 0;  // the token's lifetime after connect()
  std::uint64_t timeout_ms_ = 0;
  std::uint64_t last_receive_ms_ = 0;  // or the time the current stage began
  std::uint64_t last_send_ms_ = 0;
  bool send_now_ = false;
  std::uint64_t sequence_ = 0;  // never reset for one token: all its addresses share its client-to-server key
  replay_window replay_;        // reset per address: each server counts its own sequence
  challenge_body challenge_;
  keep_alive_body keep_alive_;
  packet_error_counts drops_{};
  std::array<std::uint8_t, kMaxDatagramBytes> receive_scratch_{};
  std::array<std::uint8_t, kMaxDatagramBytes> send_buffer_{};
};

}  // namespace guildhall::wire::udp
