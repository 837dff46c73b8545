#pragma once
// A client connection over UDP, as the services see it (net::connection): every message of the protocol rides the
// reliable-ordered channel of its message endpoint (wire/udp/message_endpoint.hpp), except latest-wins state
// (room snapshots, send_latest), which rides the unreliable channel and is never resent. The connection layer
// below (handshake, encryption, keep-alive, time-out) belongs to the shard's server_protocol.
// Thread-safety: lives on its shard (udp_shard owns it); like every connection, call it only there.
#include <cstdint>
#include <memory>
#include <string>

#include "net/connection.hpp"
#include "wire/udp/message_endpoint.hpp"
#include "wire/udp/server_protocol.hpp"

namespace guildhall::net {

class udp_shard;

class udp_connection final : public connection {
 public:
  udp_connection(std::uint64_t id, unsigned shard, udp_shard& owner, wire::udp::client_handle client,
                 std::string peer, const wire::udp::endpoint_config& endpoint, std::size_t max_frame_bytes);

  void attach(std::unique_ptr<connection_handler> handler) { handler_ = std::move(handler); }
  connection_handler* handler() { return handler_.get(); }

  wire::payload_format format() const override { return wire::payload_format::binary; }
  send_status send(wire::shared_message message) override;
  send_status send_latest(wire::shared_message message, std::uint64_t slot) override;
  void close(wire::close_code code, std::string_view reason) override;
  void mark_authenticated() override {}  // the connect token authenticated it before it existed
  std::string remote_address() const override { return peer_; }

  // From the shard: a decrypted payload packet arrived; its messages go to the handler.
  void on_packet(std::span<const std::uint8_t> packet, std::uint64_t sequence, std::uint64_t now_ms);
  // Writes what the endpoint has to send now (messages, resends, acks) through `send_packet`.
  void write_packets(std::uint64_t now_ms, wire::udp::packet_sink& send_packet);
  // The connection layer dropped the client (timed out, it left) or we finished closing: tells the handler
  // (posted, never from inside on_frame) and stops everything.
  void on_gone();

  wire::udp::client_handle client() const { return client_; }
  bool closing() const { return closing_; }
  // A closing connection may go once the peer has acknowledged everything, or `linger_ms` after the first ask.
  bool ready_to_go(std::uint64_t now_ms, std::uint32_t linger_ms);
  // Closes with 4001 when no message came for `idle_timeout_ms` (limits.idle_timeout_ms, as on TCP): the
  // connection layer's keep-alives prove the client's program runs, not that its game does.
  void check_idle(std::uint64_t now_ms, std::uint32_t idle_timeout_ms);
  std::uint16_t close_code() const { return close_code_; }
  const wire::udp::message_endpoint& endpoint() const { return endpoint_; }

 private:
  send_status queued_or_closed(wire::udp::send_result result, std::size_t bytes);

  udp_shard& owner_;
  wire::udp::client_handle client_;  // the server_protocol's name for this client
  std::size_t max_frame_bytes_;      // limits.max_frame_bytes: a longer message closes the connection (4004)
  std::string peer_;
  wire::udp::message_endpoint endpoint_;
  std::unique_ptr<connection_handler> handler_;
  std::uint64_t close_deadline_ms_ = 0;
  std::uint64_t last_message_ms_ = 0;  // 0 until the first pass sees the connection
  std::uint64_t now_ms_ = 0;           // of the packet being delivered
  std::uint16_t close_code_ = 0;  // ours, once we close (0: the peer left or timed out)
  bool closing_ = false;
  bool gone_ = false;
};

}  // namespace guildhall::net
