#include "wire/udp/endpoint_config.hpp"

#include "wire/udp/message_packet.hpp"

namespace guildhall::wire::udp {
namespace {

constexpr std::size_t kMaxWindow = 16384;  // 16-bit ids: windows must stay well below half the id space

result<void> check_sizes(const endpoint_config& c) {
  if (c.max_packet_bytes < kMaxPacketHeaderBytes + kFragmentHeaderBytes + 1 || c.max_packet_bytes > 65535) {
    return fail(errc::invalid_argument, "udp: max_packet_bytes must be in 19..65535");
  }
  if (c.fragment_bytes == 0 || kMaxPacketHeaderBytes + kFragmentHeaderBytes + c.fragment_bytes > c.max_packet_bytes) {
    return fail(errc::invalid_argument, "udp: fragment_bytes must fit one packet with its headers");
  }
  if (c.max_message_bytes == 0) return fail(errc::invalid_argument, "udp: max_message_bytes must be positive");
  const std::size_t needed = (c.max_message_bytes + c.fragment_bytes - 1) / c.fragment_bytes;
  if (c.max_fragments < needed || c.max_fragments > kMaxFragmentsLimit) {
    return fail(errc::invalid_argument, "udp: max_fragments must be ceil(max_message_bytes / fragment_bytes) .. 255");
  }
  if (c.send_queue_bytes < c.max_message_bytes || c.receive_buffer_bytes < c.max_message_bytes ||
      c.unreliable_queue_bytes < c.max_message_bytes) {
    return fail(errc::invalid_argument, "udp: every byte cap must hold at least one max_message_bytes message");
  }
  return {};
}

result<void> check_windows(const endpoint_config& c) {
  if (c.send_queue_messages == 0 || c.send_queue_messages > kMaxWindow || c.receive_window == 0 ||
      c.receive_window > kMaxWindow) {
    return fail(errc::invalid_argument, "udp: send_queue_messages and receive_window must be in 1..16384");
  }
  if (c.sent_packets_window < 64 || c.sent_packets_window > kMaxWindow || c.received_packets_window < 33 ||
      c.received_packets_window > kMaxWindow) {
    return fail(errc::invalid_argument, "udp: packet windows must be in 64..16384 (sent) and 33..16384 (received)");
  }
  if (c.unreliable_queue_messages == 0 || c.unreliable_receive_messages == 0 || c.unreliable_reassemblies == 0) {
    return fail(errc::invalid_argument, "udp: unreliable queues need room for one message");
  }
  return {};
}

result<void> check_timing(const endpoint_config& c) {
  if (c.min_resend_ms == 0 || c.max_resend_ms < c.min_resend_ms || c.resend_rtt_factor < 1.0) {
    return fail(errc::invalid_argument, "udp: resend delays need 0 < min_resend_ms <= max_resend_ms, factor >= 1");
  }
  if (c.initial_rtt_ms == 0 || c.ack_interval_ms == 0 || c.burst_ms == 0) {
    return fail(errc::invalid_argument, "udp: initial_rtt_ms, ack_interval_ms and burst_ms must be positive");
  }
  if (c.min_send_rate_bytes_per_second == 0 ||
      c.max_send_rate_bytes_per_second < c.min_send_rate_bytes_per_second ||
      c.initial_send_rate_bytes_per_second < c.min_send_rate_bytes_per_second ||
      c.initial_send_rate_bytes_per_second > c.max_send_rate_bytes_per_second) {
    return fail(errc::invalid_argument, "udp: send rates need 0 < min <= initial <= max");
  }
  if (!(c.backoff_factor > 0.0 && c.backoff_factor < 1.0) || !(c.loss_threshold > 0.0 && c.loss_threshold < 1.0) ||
      !(c.rtt_inflation_factor > 1.0)) {
    return fail(errc::invalid_argument, "udp: backoff_factor and loss_threshold in (0, 1), rtt_inflation_factor > 1");
  }
  return {};
}

}  // namespace

result<void> endpoint_config::validate() const {
  if (auto ok = check_sizes(*this); !ok) return ok;
  if (auto ok = check_windows(*this); !ok) return ok;
  return check_timing(*this);
}

}  // namespace guildhall::wire::udp
