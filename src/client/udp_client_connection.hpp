#pragma once
// The C++ client SDK's UDP connection (docs/protocol.md "UDP"): the connection layer (wire/udp/client_protocol.hpp:
// connect token, challenge, keep-alive, encryption) and the message layer (wire/udp/message_endpoint.hpp: acks,
// resends, fragments) over one UDP socket. Requests and pushes ride the reliable-ordered channel;
// notify_unreliable (room inputs) the unreliable one, latest wins. Requests, time-outs and the Ping keep-alive are
// message_connection's.
// The server authenticated the user by the connect token: it pushes Authenticated unasked once connected.
// With `impairment` set, a seeded network simulator delays, drops, duplicates and reorders what this client sends
// and receives (udp.sim_* on the client side), so a game can be tried on a bad network.
//
// Thread-safety: as message_connection: everything on the io_context's thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <array>
#include <optional>

#include "client/message_connection.hpp"
#include "wire/udp/client_protocol.hpp"
#include "wire/udp/message_endpoint.hpp"
#include "wire/udp/network_simulator.hpp"

namespace guildhall::client {

// A token as the HTTP API gives it (POST /v1/udp/connect-token), checked and converted.
result<wire::udp::issued_connect_token> to_connect_token(const v1::ConnectToken& answer);

class udp_client_connection final : public message_connection,
                                    private wire::udp::client_protocol_events,
                                    private wire::udp::datagram_sink {
 public:
  udp_client_connection(boost::asio::io_context& io, server_url url, wire::udp::issued_connect_token token,
                        connection_options options = {},
                        std::optional<wire::udp::impairment_config> impairment = std::nullopt);

  // Sends connection requests to the token's addresses in turn until one completes the handshake, within
  // options.connect_timeout_ms.
  void connect(std::move_only_function<void(result<void>)> done) override;
  // Tells the server (redundant disconnect packets) and ends the connection.
  void close() override;
  bool notify_unreliable(v1::Envelope message) override;
  bool authenticated_by_transport() const override { return true; }

  // Round trip and loss as the message layer measures them.
  double rtt_ms() const override { return endpoint_.stats().rtt_ms; }
  double packet_loss() const override { return endpoint_.stats().packet_loss; }

 private:
  std::shared_ptr<udp_client_connection> self() {
    return std::static_pointer_cast<udp_client_connection>(shared_from_this());
  }
  void transmit(const v1::Envelope& message) override;
  void drop_transport() override;
  std::string where() const override;
  void on_payload(std::uint64_t sequence, std::span<const std::uint8_t> payload) override;
  void send(const wire::udp::peer_address& to, std::span<const std::uint8_t> bytes) override;

  void read_more();
  void arm_tick();
  void tick();
  void flush_soon();
  void flush();
  void finish_connect(result<void> outcome);

  boost::asio::ip::udp::socket socket_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer connect_deadline_;
  wire::udp::issued_connect_token token_;
  wire::udp::client_protocol protocol_;
  wire::udp::message_endpoint endpoint_;
  std::optional<wire::udp::network_simulator<wire::udp::peer_address>> outbound_sim_;
  std::optional<wire::udp::network_simulator<wire::udp::peer_address>> inbound_sim_;
  std::array<std::uint8_t, 1500> receive_buffer_{};
  boost::asio::ip::udp::endpoint from_;
  std::move_only_function<void(result<void>)> connect_done_;
  std::size_t datagram_bytes_ = 0;  // of the datagram being received: on_payload counts it whole
  bool flush_posted_ = false;
  bool bypass_simulator_ = false;  // the goodbye packets go out at once: the socket closes right after
};

}  // namespace guildhall::client
