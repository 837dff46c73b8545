#pragma once
// A blocking UDP client for integration tests, built straight on the sans-I/O layers (wire/udp/client_protocol,
// message_endpoint) over a plain socket, so a test controls every step: the handshake, reliable and unreliable
// messages, and raw datagrams no well-behaved client would send (garbage, replays, spoofed sequences).
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "guildhall/v1/guildhall.pb.h"
#include "wire/udp/client_protocol.hpp"
#include "wire/udp/message_endpoint.hpp"

namespace guildhall::testing {

namespace v1 = ::guildhall::v1;
using namespace std::chrono_literals;

// POST /v1/udp/connect-token on the loopback server, for the holder of `access_token`; throws on failure.
wire::udp::issued_connect_token fetch_connect_token(std::uint16_t http_port, const std::string& access_token);

class udp_client : private wire::udp::client_protocol_events, private wire::udp::datagram_sink {
 public:
  // `offline`: datagrams are recorded (sent_datagrams) but never sent, and only feed() delivers any, so a test can
  // carry the handshake over a socket of its own and look at every byte.
  explicit udp_client(wire::udp::issued_connect_token token, bool offline = false);
  ~udp_client();
  udp_client(const udp_client&) = delete;
  udp_client& operator=(const udp_client&) = delete;

  // Runs the handshake; true once connected within `timeout`.
  bool connect(std::chrono::milliseconds timeout = 5s);
  // Offline: starts the handshake (the connection request is recorded), and hands the client a datagram as if it
  // had come from the server, running one turn after it.
  void start();
  void feed(std::span<const std::uint8_t> datagram);
  wire::udp::client_state state() const { return protocol_.state(); }

  void send(const v1::Envelope& message);             // reliable-ordered
  void send_unreliable(const v1::Envelope& message);  // unreliable, latest wins
  // Sends `request` with a fresh cid and returns its answer (an Error with code UNSPECIFIED when none came);
  // pushes read meanwhile are kept in `pushes`.
  v1::Envelope call(v1::Envelope request, std::chrono::milliseconds timeout = 5s);
  std::optional<v1::Envelope> next_push(std::chrono::milliseconds timeout = 5s);
  // Runs the client (reads, resends, acks, keep-alives) for `duration`.
  void pump(std::chrono::milliseconds duration);
  // Sends bytes as they are to the server from this client's socket.
  void send_raw(std::span<const std::uint8_t> bytes);
  // Every datagram this client sent, as sent (replay tests resend them).
  const std::vector<std::vector<std::uint8_t>>& sent_datagrams() const { return sent_; }
  // Tells the server (redundant disconnect packets).
  void disconnect();
  const wire::udp::message_endpoint& endpoint() const { return endpoint_; }

  std::deque<v1::Envelope> pushes;
  std::optional<std::uint32_t> closing_code;  // from a Closing push

 private:
  void on_payload(std::uint64_t sequence, std::span<const std::uint8_t> payload) override;
  void send(const wire::udp::peer_address& to, std::span<const std::uint8_t> bytes) override;
  // One turn: wait up to `wait` for a datagram, then update, flush and read what arrived.
  void turn(std::chrono::milliseconds wait);
  std::uint64_t now_ms() const;

  int fd_ = -1;
  bool offline_ = false;
  wire::udp::issued_connect_token token_;
  wire::udp::client_protocol protocol_;
  wire::udp::message_endpoint endpoint_;
  std::deque<v1::Envelope> answers_;
  std::vector<std::vector<std::uint8_t>> sent_;
  std::uint32_t next_cid_ = 1;
};

}  // namespace guildhall::testing
