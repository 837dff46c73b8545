#pragma once
// The UDP transport on one shard: its socket of the SO_REUSEPORT group, the connection layer (server_protocol:
// handshake, encryption, keep-alive, time-outs) and the connections it admitted. Datagrams are read in batches
// when the socket is readable; what the connections have to say is written in one sendmmsg batch per pass: after
// the handlers that queued it (a room's snapshots for every player of the tick go out together) and on the
// shard's UDP tick, which also resends, acks and keeps idle clients alive.
// With udp.sim_* set, a seeded network simulator sits between the socket and the connection layer, each way.
// Thread-safety: created on the owner thread, then used only on its shard.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "net/connection.hpp"
#include "net/udp/datagram_socket.hpp"
#include "net/udp/udp_config.hpp"
#include "net/udp/udp_connection.hpp"
#include "wire/udp/network_simulator.hpp"
#include "wire/udp/server_protocol.hpp"

namespace guildhall::net {

struct udp_shard_settings {
  wire::udp::server_protocol_config protocol;
  wire::udp::endpoint_config endpoint;
  std::optional<wire::udp::impairment_config> impairment;  // none: a straight wire
  std::uint32_t close_linger_ms = 2'000;
  std::size_t max_frame_bytes = 64 * 1024;  // limits.max_frame_bytes: the largest message a client may send
  std::uint32_t idle_timeout_ms = 60'000;    // limits.idle_timeout_ms: no message for this long closes (4001)
};

class udp_shard final : private wire::udp::server_protocol_events, private wire::udp::datagram_sink {
 public:
  udp_shard(boost::asio::io_context& io, unsigned shard, std::unique_ptr<datagram_socket> socket,
            udp_shard_settings settings, const handler_factory& make_handler);
  ~udp_shard();

  void start();
  // Closes every connection with `code`; they leave once the peer has the Closing or the linger passes.
  void close_all(wire::close_code code, std::string_view reason);
  void stop();

  // From a connection: it has something to send; written in this pass's batch.
  void wants_to_write(udp_connection& connection);
  // Safe from any thread (a count kept for drain).
  std::size_t connection_count() const { return live_.load(std::memory_order_relaxed); }
  boost::asio::io_context& io() { return io_; }
  unsigned shard() const { return shard_; }

 private:
  // server_protocol_events
  void on_connected(wire::udp::client_handle client, const wire::udp::peer_address& from,
                    const wire::udp::token_identity& who) override;
  void on_payload(wire::udp::client_handle client, std::uint64_t sequence,
                  std::span<const std::uint8_t> payload) override;
  void on_disconnected(wire::udp::client_handle client, wire::udp::disconnect_reason reason) override;
  // datagram_sink: everything the connection layer sends, through the simulator when there is one.
  void send(const wire::udp::peer_address& to, std::span<const std::uint8_t> bytes) override;

  void take_time();
  void wait_readable();
  void read_datagrams();
  void arm_tick();
  void tick();
  void flush();
  void write_connection(udp_connection& connection, std::uint64_t now_ms);
  void forget(wire::udp::client_handle client);
  static std::uint64_t handle_key(wire::udp::client_handle client) {
    return (std::uint64_t{client.slot} << 32) | client.generation;
  }

  boost::asio::io_context& io_;
  unsigned shard_;
  std::unique_ptr<datagram_socket> socket_;
  boost::asio::posix::stream_descriptor readable_;
  boost::asio::steady_timer tick_timer_;
  udp_shard_settings settings_;
  const handler_factory& make_handler_;
  wire::udp::server_protocol protocol_;
  std::optional<wire::udp::network_simulator<wire::udp::peer_address>> inbound_sim_;
  std::optional<wire::udp::network_simulator<wire::udp::peer_address>> outbound_sim_;
  // By handle_key(client): slot and generation in one number.
  std::unordered_map<std::uint64_t, std::shared_ptr<udp_connection>> connections_;
  std::vector<std::uint64_t> to_write_;
  // The time of the pass in progress: steady for the message layer and the simulator, Unix for the connection
  // layer (connect tokens expire in Unix time).
  std::uint64_t now_ms_ = 0;
  std::uint64_t unix_now_ms_ = 0;
  std::atomic<std::size_t> live_{0};
  bool flush_posted_ = false;
  bool stopped_ = false;
};

}  // namespace guildhall::net
