#pragma once
// Configuration of one message_endpoint (the message layer of the UDP transport: channels, acks, resends,
// fragments, congestion). The connection layer encrypts each packet of this layer into one datagram, so
// max_packet_bytes is the datagram payload it allows (1175 bytes, see udp_limits.hpp of that layer).
#include <cstddef>
#include <cstdint>

#include "base/result.hpp"

namespace guildhall::wire::udp {

// Snapshots go unreliable; every request, response and push of the protocol goes reliable-ordered.
enum class channel : std::uint8_t { reliable = 0, unreliable = 1 };

struct endpoint_config {
  // True: the layer below numbers each packet (the connection layer's nonce sequence, whose low 16 bits are this
  // layer's sequence), so the packet header leaves its own out: 2 bytes less per datagram, as GameNetworkingSockets
  // has one packet number for encryption and acks. The packet_sink then gives next_sequence() and receive_packet()
  // takes the sequence. False: the header carries it (endpoints joined by anything else: tests, a plain socket).
  bool sequence_from_transport = false;
  // Largest packet written, in bytes: the encrypted datagram's payload cap. Lower it for paths with a small MTU.
  std::size_t max_packet_bytes = 1175;
  // Largest message, in bytes, on either channel: one protobuf Envelope (64 KiB) plus framing. Bigger is refused on
  // send (too_large) and on receive (a peer cannot make us reassemble more).
  std::size_t max_message_bytes = 64 * 1024 + 256;
  // Payload bytes per fragment: messages bigger than this are split. Must leave room for the packet and message
  // headers inside max_packet_bytes.
  std::size_t fragment_bytes = 1024;
  // Most fragments in one message: ceil(max_message_bytes / fragment_bytes). A fragment claiming a larger count is
  // malformed (it would make the receiver reserve more than max_message_bytes).
  std::size_t max_fragments = 65;
  // Reliable messages queued and unacked, in messages and in bytes. Past either, send() says over_limit and the
  // server closes the connection: a peer that does not read must not grow our memory.
  std::size_t send_queue_messages = 1024;
  std::size_t send_queue_bytes = 4 * 1024 * 1024;
  // Reliable messages the receiver buffers ahead of the next one to deliver (out-of-order arrivals), in messages.
  // The sender never sends further ahead than this. At most 16384 so 16-bit ids cannot alias.
  std::size_t receive_window = 1024;
  // Bytes of reliable messages buffered ahead of the next one to deliver. Past it, later messages are dropped
  // (the sender resends them); the next one is always accepted, so delivery cannot stall.
  std::size_t receive_buffer_bytes = 1024 * 1024;
  // Unreliable messages waiting to be written, in messages and bytes (send_latest replaces instead of adding).
  std::size_t unreliable_queue_messages = 256;
  std::size_t unreliable_queue_bytes = 512 * 1024;
  // Unreliable messages received and not yet drained: past it the oldest is dropped (they are superseded state).
  std::size_t unreliable_receive_messages = 64;
  // Fragmented unreliable messages reassembled at once; a newer one completing drops the older partial ones.
  std::size_t unreliable_reassemblies = 4;
  // Packets remembered for acks and RTT (sent) and for duplicate detection and ack bits (received), in packets.
  std::size_t sent_packets_window = 1024;
  std::size_t received_packets_window = 256;
  // Resend an unacked reliable fragment after resend_rtt_factor * RTT, never sooner than min_resend_ms (a spike
  // of jitter must not double the traffic) nor later than max_resend_ms.
  double resend_rtt_factor = 1.25;
  std::uint32_t min_resend_ms = 50;
  std::uint32_t max_resend_ms = 1000;
  // RTT assumed before the first sample, in milliseconds.
  std::uint32_t initial_rtt_ms = 100;
  // When acks are owed and nothing else goes, an ack-only packet is written at most this often (milliseconds):
  // a peer that only receives still acks promptly, at a bounded cost.
  std::uint32_t ack_interval_ms = 33;
  // Congestion control, in bytes per second: the send rate starts at initial, stays within [min, max], backs off
  // multiplicatively (by backoff_factor) when the loss of an interval exceeds loss_threshold or the RTT inflates
  // past rtt_inflation_factor * the lowest RTT seen, and grows by increase_bytes_per_second per interval when the
  // budget held data back. Unreliable messages are never delayed by it (they are the newest state).
  std::uint32_t min_send_rate_bytes_per_second = 32 * 1024;
  std::uint32_t max_send_rate_bytes_per_second = 1024 * 1024;
  std::uint32_t initial_send_rate_bytes_per_second = 256 * 1024;
  std::uint32_t increase_bytes_per_second = 16 * 1024;
  double backoff_factor = 0.7;
  double loss_threshold = 0.1;
  double rtt_inflation_factor = 2.5;
  // Bytes the budget may save up while idle, in milliseconds of the current rate (at least two packets).
  std::uint32_t burst_ms = 50;
  // Unreliable data may overdraw the budget by this many milliseconds of the current rate; past it, unreliable
  // messages are dropped (counted) instead of queued behind reliable data.
  std::uint32_t unreliable_debt_ms = 500;

  result<void> validate() const;
};

}  // namespace guildhall::wire::udp
