#include "client/udp_client_connection.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>

#include "wire/udp/guildhall_endpoint_config.hpp"
#include "wire/udp/payload_sinks.hpp"

namespace guildhall::client {
namespace asio = boost::asio;
namespace udp = wire::udp;

namespace {

// Resends, acks and keep-alives run on this beat; finer with a simulated network so its latency is not rounded up.
constexpr std::chrono::milliseconds kTickPeriod{10};
constexpr std::chrono::milliseconds kImpairedTickPeriod{2};

std::uint64_t steady_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

template <std::size_t N>
bool copy_exact(const std::string& from, std::array<std::uint8_t, N>& to) {
  if (from.size() != N) return false;
  std::copy(from.begin(), from.end(), to.begin());
  return true;
}

asio::ip::udp::endpoint to_endpoint(const udp::peer_address& address) {
  if (address.family == udp::address_family::ipv4) {
    asio::ip::address_v4::bytes_type bytes;
    std::copy_n(address.bytes.begin(), 4, bytes.begin());
    return {asio::ip::address_v4(bytes), address.port};
  }
  asio::ip::address_v6::bytes_type bytes;
  std::copy_n(address.bytes.begin(), 16, bytes.begin());
  return {asio::ip::address_v6(bytes), address.port};
}

udp::peer_address to_peer(const asio::ip::udp::endpoint& endpoint) {
  if (endpoint.address().is_v4()) return udp::peer_address::ipv4(endpoint.address().to_v4().to_bytes(), endpoint.port());
  return udp::peer_address::ipv6(endpoint.address().to_v6().to_bytes(), endpoint.port());
}

}  // namespace

result<udp::issued_connect_token> to_connect_token(const v1::ConnectToken& answer) {
  udp::issued_connect_token token;
  token.protocol_id = answer.protocol_id();
  token.create_timestamp = answer.create_timestamp();
  token.expire_timestamp = answer.expire_timestamp();
  token.timeout_seconds = answer.timeout_seconds();
  const bool sized = copy_exact(answer.nonce(), token.nonce) && copy_exact(answer.sealed_private(), token.sealed_private) &&
                     copy_exact(answer.client_to_server_key(), token.client_to_server_key) &&
                     copy_exact(answer.server_to_client_key(), token.server_to_client_key);
  if (!sized) return fail(errc::invalid_argument, "the connect token's nonce, keys or sealed part have the wrong size");
  for (const auto& text : answer.server_addresses()) {
    auto address = udp::parse_peer_address(text);
    if (!address) return fail(errc::invalid_argument, "the connect token names a bad address: " + text);
    token.server_addresses.push_back(*address);
  }
  if (token.server_addresses.empty()) return fail(errc::invalid_argument, "the connect token names no server");
  return token;
}

udp_client_connection::udp_client_connection(asio::io_context& io, server_url url, udp::issued_connect_token token,
                                             connection_options options,
                                             std::optional<udp::impairment_config> impairment)
    : message_connection(io, std::move(url), options),
      socket_(io),
      tick_timer_(io),
      connect_deadline_(io),
      token_(std::move(token)),
      endpoint_(udp::guildhall_endpoint_config()) {
  if (impairment && impairment->active()) {
    auto inbound = *impairment;
    inbound.seed = impairment->seed * 2 + 1;  // its own stream of chances, from the same seed
    outbound_sim_.emplace(*impairment);
    inbound_sim_.emplace(inbound);
  }
}

std::string udp_client_connection::where() const {
  const auto address = protocol_.server_address();
  return "udp " + (address ? address->to_string() : url_.host + ":" + std::to_string(url_.port));
}

void udp_client_connection::connect(std::move_only_function<void(result<void>)> done) {
  connect_done_ = std::move(done);
  const bool v6 = !token_.server_addresses.empty() && token_.server_addresses[0].family == udp::address_family::ipv6;
  boost::system::error_code ec;
  socket_.open(v6 ? asio::ip::udp::v6() : asio::ip::udp::v4(), ec);
  if (ec) return finish_connect(fail(errc::internal, "cannot open a UDP socket: " + ec.message()));
  socket_.non_blocking(true, ec);
  protocol_.connect(token_, steady_ms());
  connect_deadline_.expires_after(std::chrono::milliseconds(options_.connect_timeout_ms));
  connect_deadline_.async_wait([self = self()](const boost::system::error_code& ec) {
    if (ec || !self->connect_done_) return;
    self->finish_connect(fail(errc::internal, "connecting to " + self->where() + " timed out after " +
                                                  describe_ms(self->options_.connect_timeout_ms)));
  });
  read_more();
  tick();
  arm_tick();
}

void udp_client_connection::finish_connect(result<void> outcome) {
  auto done = std::exchange(connect_done_, nullptr);
  if (!done) return;
  connect_deadline_.cancel();
  if (!outcome) {
    tick_timer_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
    return done(std::move(outcome));
  }
  start_session();
  done({});
}

void udp_client_connection::read_more() {
  socket_.async_receive_from(asio::buffer(receive_buffer_), from_,
                             [self = self()](const boost::system::error_code& ec, std::size_t n) {
                               if (ec == asio::error::operation_aborted || !self->socket_.is_open()) return;
                               // ICMP "port unreachable" surfaces as a receive error: the server is not there (yet);
                               // the handshake's resends and time-out decide, so keep reading.
                               if (!ec) {
                                 const auto from = to_peer(self->from_);
                                 const std::span<const std::uint8_t> bytes(self->receive_buffer_.data(), n);
                                 const auto now = steady_ms();
                                 if (self->inbound_sim_) {
                                   self->inbound_sim_->submit(bytes, from, now);
                                 } else {
                                   self->datagram_bytes_ = n;
                                   self->protocol_.receive(from, bytes, now, *self);
                                   self->flush();
                                 }
                               }
                               self->read_more();
                             });
}

void udp_client_connection::arm_tick() {
  tick_timer_.expires_after(inbound_sim_ ? kImpairedTickPeriod : kTickPeriod);
  tick_timer_.async_wait([self = self()](const boost::system::error_code& ec) {
    if (ec || !self->socket_.is_open()) return;
    self->tick();
    if (self->socket_.is_open()) self->arm_tick();
  });
}

void udp_client_connection::tick() {
  const auto now = steady_ms();
  if (inbound_sim_) {
    inbound_sim_->deliver_due(now, [this, now](const udp::peer_address& from, std::span<const std::uint8_t> bytes) {
      datagram_bytes_ = bytes.size();
      protocol_.receive(from, bytes, now, *this);
    });
  }
  protocol_.update(now, *this);
  const auto state = protocol_.state();
  if (connect_done_) {
    if (state == udp::client_state::connected) {
      finish_connect({});
    } else if (!protocol_.connecting()) {
      return finish_connect(fail(errc::internal, "connecting to " + where() + " failed: " +
                                                     std::string(udp::to_string(state))));
    }
  } else if (open() && state != udp::client_state::connected) {
    return fail_connection("the UDP connection to " + where() + " ended: " + std::string(udp::to_string(state)));
  }
  flush();
}

void udp_client_connection::on_payload(std::uint64_t sequence, std::span<const std::uint8_t> payload) {
  // The first payload can come with the keep-alive that completes the handshake, before the next tick would notice:
  // the connection is open from here, or its first message (Authenticated) would be dropped.
  if (connect_done_ && protocol_.state() == udp::client_state::connected) finish_connect({});
  // The whole datagram (connection header, encrypted payload, MAC), as a benchmark counts bytes on the wire; the
  // keep-alives and handshake packets that carry no payload are not counted.
  note_received(datagram_bytes_);
  if (!endpoint_.receive_packet(payload, steady_ms(), sequence)) return;  // malformed: counted by the endpoint
  struct to_envelopes final : udp::message_sink {
    udp_client_connection& self;
    explicit to_envelopes(udp_client_connection& owner) : self(owner) {}
    void message(udp::channel, std::span<const std::uint8_t> bytes) override {
      if (!self.open()) return;
      auto decoded = wire::decode({reinterpret_cast<const char*>(bytes.data()), bytes.size()},
                                  wire::payload_format::binary);
      if (!decoded) return self.fail_connection(decoded.error().message);
      self.deliver(*decoded);
    }
  } deliver_to{*this};
  endpoint_.drain(deliver_to);
}

void udp_client_connection::transmit(const v1::Envelope& message) {
  const std::string bytes = wire::encode(message, wire::payload_format::binary);
  const auto sent = endpoint_.send(udp::channel::reliable, {reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                                             bytes.size()});
  if (sent == udp::send_result::over_limit) {
    return fail_connection("more than the reliable window unacknowledged: the server is not reading");
  }
  note_sent();
  flush_soon();
}

bool udp_client_connection::notify_unreliable(v1::Envelope message) {
  if (!open()) return false;
  message.clear_cid();
  const std::string bytes = wire::encode(message, wire::payload_format::binary);
  // Slot 1: an input message not yet written is replaced by the newer one, which repeats its inputs anyway.
  constexpr std::uint64_t kInputSlot = 1;
  endpoint_.send_latest({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, kInputSlot);
  note_sent();
  flush_soon();
  return true;
}

// After the handlers already queued: a burst of requests goes in as few packets as fit.
void udp_client_connection::flush_soon() {
  if (std::exchange(flush_posted_, true)) return;
  asio::post(io_, [self = self()] {
    self->flush_posted_ = false;
    if (self->socket_.is_open()) self->flush();
  });
}

void udp_client_connection::flush() {
  const auto now = steady_ms();
  if (protocol_.state() == udp::client_state::connected) {
    udp::client_payload_sink sink(protocol_, now, *this);
    endpoint_.write_packets(now, sink);
  }
  if (outbound_sim_) {
    outbound_sim_->deliver_due(now, [this](const udp::peer_address& to, std::span<const std::uint8_t> bytes) {
      boost::system::error_code ignored;
      socket_.send_to(asio::buffer(bytes.data(), bytes.size()), to_endpoint(to), 0, ignored);
    });
  }
}

void udp_client_connection::send(const udp::peer_address& to, std::span<const std::uint8_t> bytes) {
  if (outbound_sim_ && !bypass_simulator_) return outbound_sim_->submit(bytes, to, steady_ms());
  // A full socket buffer drops the datagram, as the network might: the reliable layer resends what matters.
  boost::system::error_code ignored;
  socket_.send_to(asio::buffer(bytes.data(), bytes.size()), to_endpoint(to), 0, ignored);
}

void udp_client_connection::close() {
  if (connect_done_) return finish_connect(fail(errc::internal, "closed before connecting"));
  // Later, like every callback: on_closed must not run inside the caller's close().
  asio::post(io_, [self = self()] { self->fail_connection("closed by the client"); });
}

void udp_client_connection::drop_transport() {
  bypass_simulator_ = true;
  if (protocol_.state() == udp::client_state::connected) protocol_.disconnect(*this);
  tick_timer_.cancel();
  boost::system::error_code ignored;
  socket_.close(ignored);
}

}  // namespace guildhall::client
