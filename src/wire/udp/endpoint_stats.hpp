#pragma once
// What a message_endpoint measured and what it dropped, for the transport's metrics and the SDK's ping/loss
// display. Plain values: copy them out, they do not change under you.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace guildhall::wire::udp {

// Why a packet or a message was dropped. Counted per reason; none of them is an error of the connection by itself
// except malformed_packet (receive_packet also returns the error).
enum class drop_reason : std::uint8_t {
  malformed_packet,          // refused by decode_packet
  duplicate_packet,          // a packet sequence already received
  stale_packet,              // a packet older than the received-packets window
  duplicate_message,         // a reliable message (or fragment) already received or delivered
  message_out_of_window,     // a reliable message id beyond the receive window
  fragment_mismatch,         // a fragment disagreeing with earlier fragments of its message (count, kind)
  receive_buffer_full,       // a reliable message ahead of the next one past receive_buffer_bytes (resent later)
  stale_unreliable,          // an unreliable message not newer than the newest delivered
  unreliable_overflow,       // unreliable messages received faster than drained: the oldest went
  unreliable_partial_evicted,  // a partial fragmented unreliable message superseded or out of slots
  unreliable_replaced,       // send_latest replaced an unwritten message of the same slot
  unreliable_over_budget,    // the send budget's debt passed unreliable_debt_ms: an unreliable message not sent
  packet_not_stored,         // a packet left unacked: a reliable message in it was out of window or over the buffer
  count_
};
inline constexpr std::size_t kDropReasons = static_cast<std::size_t>(drop_reason::count_);
std::string_view to_string(drop_reason reason);

struct endpoint_stats {
  double rtt_ms = 0;                 // smoothed round-trip time, ack delay excluded
  double min_rtt_ms = 0;             // lowest sample seen (the congestion controller's baseline)
  double packet_loss = 0;            // smoothed fraction (0..1) of data packets never acked
  double sent_kbps = 0;              // smoothed, packets written
  double received_kbps = 0;          // smoothed, packets accepted
  double acked_kbps = 0;             // smoothed, packets of ours the peer acked
  double send_rate_bytes_per_second = 0;  // the congestion-controlled budget rate
  std::size_t reliable_in_flight = 0;     // reliable messages queued and not yet acked
  std::size_t reliable_queued_bytes = 0;
  std::uint64_t packets_sent = 0;
  std::uint64_t packets_received = 0;
  std::uint64_t packets_acked = 0;
  std::uint64_t packets_lost = 0;
  std::uint64_t fragments_resent = 0;  // reliable messages or fragments written again after the resend delay
  std::uint64_t messages_sent = 0;     // accepted by send() / send_latest()
  std::uint64_t messages_delivered = 0;
  std::array<std::uint64_t, kDropReasons> drops{};

  std::uint64_t dropped(drop_reason reason) const { return drops[static_cast<std::size_t>(reason)]; }
};

}  // namespace guildhall::wire::udp
