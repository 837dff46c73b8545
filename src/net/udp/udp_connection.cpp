#include "net/udp/udp_connection.hpp"

#include <boost/asio/post.hpp>

#include "net/net_metrics.hpp"
#include "net/udp/udp_metrics.hpp"
#include "net/udp/udp_shard.hpp"

namespace guildhall::net {
namespace udp = wire::udp;

udp_connection::udp_connection(std::uint64_t id, unsigned shard, udp_shard& owner, udp::client_handle client,
                               std::string peer, const udp::endpoint_config& endpoint, std::size_t max_frame_bytes)
    : connection(id, shard),
      owner_(owner),
      client_(client),
      max_frame_bytes_(max_frame_bytes),
      peer_(std::move(peer)),
      endpoint_(endpoint) {}

send_status udp_connection::send(wire::shared_message message) {
  if (closing_) return send_status::closing;
  const auto& bytes = message->binary;
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  return queued_or_closed(endpoint_.send(udp::channel::reliable, {data, bytes.size()}), bytes.size());
}

send_status udp_connection::send_latest(wire::shared_message message, std::uint64_t slot) {
  if (closing_) return send_status::closing;
  const auto& bytes = message->binary;
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  return queued_or_closed(endpoint_.send_latest({data, bytes.size()}, slot), bytes.size());
}

send_status udp_connection::queued_or_closed(udp::send_result result, std::size_t bytes) {
  auto& counted = network_metrics();
  switch (result) {
    case udp::send_result::queued:
      counted.frames_sent.add(kUdpTransportSeries);
      owner_.wants_to_write(*this);
      return send_status::queued;
    case udp::send_result::too_large:
      // Bigger than any message the peer would accept: dropping it is the only way to keep the connection.
      count_udp_drop(udp_drop::message_too_large);
      return send_status::queued;
    case udp::send_result::over_limit:
      break;
  }
  close(wire::close_code::slow_reader,
        "more than the reliable window unacknowledged (" + std::to_string(bytes) + " bytes refused)");
  return send_status::over_limit;
}

void udp_connection::close(wire::close_code code, std::string_view reason) {
  if (closing_) return;
  wire::v1::Envelope goodbye;
  goodbye.mutable_closing()->set_code(static_cast<std::uint32_t>(code));
  goodbye.mutable_closing()->set_reason(std::string(reason));
  const std::string bytes = wire::encode(goodbye, wire::payload_format::binary);
  endpoint_.send(udp::channel::reliable,
                 {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
  owner_.wants_to_write(*this);
  closing_ = true;
  close_code_ = static_cast<std::uint16_t>(code);
  close_deadline_ms_ = 0;  // set by the shard on its next pass (it knows the time)
  // The services forget the connection now, not after the linger (stream_connection does the same): pushes
  // meanwhile take the offline path. Posted: close() may run inside the handler's own on_frame.
  boost::asio::post(owner_.io(), [self = std::static_pointer_cast<udp_connection>(shared_from_this())] {
    self->on_gone();
  });
}

bool udp_connection::ready_to_go(std::uint64_t now_ms, std::uint32_t linger_ms) {
  if (!closing_) return false;
  if (close_deadline_ms_ == 0) close_deadline_ms_ = now_ms + linger_ms;
  return endpoint_.stats().reliable_in_flight == 0 || now_ms >= close_deadline_ms_;
}

void udp_connection::check_idle(std::uint64_t now_ms, std::uint32_t idle_timeout_ms) {
  if (last_message_ms_ == 0) last_message_ms_ = now_ms;
  if (closing_ || idle_timeout_ms == 0 || now_ms - last_message_ms_ < idle_timeout_ms) return;
  close(wire::close_code::idle_timeout, "nothing received for " + std::to_string(idle_timeout_ms) + " ms");
}

void udp_connection::on_packet(std::span<const std::uint8_t> packet, std::uint64_t sequence, std::uint64_t now_ms) {
  auto& counted = network_metrics();
  counted.bytes_received.add(kUdpTransportSeries, packet.size());
  if (auto received = endpoint_.receive_packet(packet, now_ms, sequence); !received) {
    count_udp_drop(udp_drop::malformed_message);  // the endpoint counts it by reason as well
    return;
  }
  struct to_handler final : udp::message_sink {
    udp_connection& self;
    explicit to_handler(udp_connection& owner) : self(owner) {}
    void message(udp::channel, std::span<const std::uint8_t> bytes) override {
      // A handler that closed the connection reads nothing more, like a closed stream.
      if (self.closing_ || !self.handler_) return;
      if (bytes.size() > self.max_frame_bytes_) {
        return self.close(wire::close_code::frame_too_large,
                          "message of " + std::to_string(bytes.size()) + " bytes; the limit is " +
                              std::to_string(self.max_frame_bytes_));
      }
      network_metrics().frames_received.add(kUdpTransportSeries);
      self.last_message_ms_ = self.now_ms_;
      self.handler_->on_frame({reinterpret_cast<const char*>(bytes.data()), bytes.size()},
                              wire::payload_format::binary);
    }
  } deliver{*this};
  now_ms_ = now_ms;
  endpoint_.drain(deliver);
}

void udp_connection::write_packets(std::uint64_t now_ms, udp::packet_sink& send_packet) {
  endpoint_.write_packets(now_ms, send_packet);
}

void udp_connection::on_gone() {
  closing_ = true;
  if (gone_) return;
  gone_ = true;
  if (handler_) handler_->on_closed();
}

}  // namespace guildhall::net
