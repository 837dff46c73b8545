#pragma once
// The message layer of the UDP transport, sans I/O: one per connection on the server, one on the client. It turns
// messages into packets (write_packets) and packets into messages (receive_packet, drain), with acks as a sequence
// plus a 32-bit field, resends, fragments, RTT and loss estimates and a congestion-controlled send budget. The
// connection layer below encrypts each packet into one datagram; this layer never sees a socket or a clock.
//
// Time: `now_ms` is milliseconds from any fixed origin (a steady clock), never decreasing between calls.
// Thread-safety: none. An endpoint lives on its connection's shard and every call happens there.
// Re-entrancy: a sink may call send()/send_latest() on the same endpoint, but not write_packets/receive_packet/drain.
#include <array>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <vector>

#include "wire/udp/endpoint_config.hpp"
#include "wire/udp/endpoint_stats.hpp"
#include "wire/udp/link_estimator.hpp"
#include "wire/udp/message_packet.hpp"
#include "wire/udp/reliable_channel.hpp"
#include "wire/udp/sequence_buffer.hpp"
#include "wire/udp/unreliable_channel.hpp"

namespace guildhall::wire::udp {

// queued: accepted. over_limit: the reliable queue is at its cap (the server closes the connection with a reason);
// for unreliable messages, the queue is full and the message was dropped. too_large: above max_message_bytes.
enum class send_result { queued, over_limit, too_large };

// Receives each packet written; `packet` is a reused buffer, valid during the call only: copy or encrypt it at once.
class packet_sink {
 public:
  virtual void packet(std::span<const std::uint8_t> packet) = 0;
  // With endpoint_config::sequence_from_transport: the sequence the next packet() will go out under (the
  // transport's; its low 16 bits number the packet here), or none when nothing can be sent now.
  virtual std::optional<std::uint64_t> next_sequence() const { return std::nullopt; }

 protected:
  ~packet_sink() = default;
};

// Receives each delivered message; the span is valid during the call only.
class message_sink {
 public:
  virtual void message(channel on, std::span<const std::uint8_t> message) = 0;

 protected:
  ~message_sink() = default;
};

class message_endpoint {
 public:
  // `config` must pass validate() (checked: an invalid one throws std::invalid_argument, a programmer error).
  explicit message_endpoint(const endpoint_config& config);

  send_result send(channel on, std::span<const std::uint8_t> message);
  // Unreliable, "latest wins": replaces an unwritten message given the same non-zero `slot` (a room's snapshot);
  // written once and forgotten. slot 0 is an ordinary unreliable message.
  send_result send_latest(std::span<const std::uint8_t> message, std::uint64_t slot);

  // Writes the packets due now: unreliable messages, reliable fragments never written or unacked after the resend
  // delay (within the congestion budget: the rest waits), and an ack-only packet when acks are owed, nothing else
  // goes and none went for ack_interval_ms. Call every few ms (a shard timer) and right after send().
  void write_packets(std::uint64_t now_ms, packet_sink& sink);
  // True when write_packets(now_ms) would write something; cheap, may say true when the budget then says no.
  bool wants_to_send(std::uint64_t now_ms) const;

  // A decrypted packet from the peer: acks are processed (RTT, loss, acked messages), messages are buffered for
  // drain(). A malformed packet is refused as a whole, counted, and leaves the endpoint as it was; duplicates and
  // stale packets are counted and ignored (they are the network's doing, not an error).
  // `transport_sequence`: the sequence the transport received the packet under (endpoint_config::
  // sequence_from_transport; ignored otherwise).
  std::expected<void, message_error> receive_packet(std::span<const std::uint8_t> packet, std::uint64_t now_ms,
                                                    std::uint64_t transport_sequence = 0);
  // Delivers what arrived: reliable messages exactly once and in order, unreliable ones newest-only in send order.
  void drain(message_sink& sink);

  endpoint_stats stats() const;
  const endpoint_config& config() const { return config_; }

 private:
  struct sent_packet {
    std::uint64_t sent_ms = 0;
    std::size_t bytes = 0;
    bool acked = false;
    bool decided = false;   // counted as delivered or lost
    bool ack_only = false;  // not acked by design: left out of loss
    std::optional<std::uint16_t> newest_unreliable;  // the newest unreliable message id carried
    std::vector<fragment_ref> carried;
  };
  struct received_packet {
    std::uint64_t received_ms = 0;
  };

  message_packet_header next_header(std::uint16_t sequence, std::uint64_t now_ms) const;
  bool write_one(std::uint64_t now_ms, packet_sink& sink, bool& budget_limited);
  void flush(std::uint16_t sequence, std::uint64_t now_ms, packet_sink& sink, bool ack_only);
  void process_acks(const message_packet_header& header, std::uint64_t now_ms);
  void on_acked(std::uint16_t sequence, std::uint64_t now_ms, const message_packet_header* rtt_from);
  void decide_lost(std::uint64_t now_ms);
  bool accept_messages();
  void count(drop_reason reason) { ++drops_[static_cast<std::size_t>(reason)]; }

  endpoint_config config_;
  link_estimator link_;
  reliable_sender reliable_out_;
  reliable_receiver reliable_in_;
  unreliable_sender unreliable_out_;
  unreliable_receiver unreliable_in_;
  packet_writer writer_;
  decoded_packet decoded_;
  std::vector<fragment_ref> carried_;  // fragments of the packet being written
  std::optional<std::uint16_t> unreliable_written_;  // the newest unreliable id in the packet being written
  sequence_buffer<sent_packet> sent_;
  sequence_buffer<received_packet> received_;
  std::uint16_t next_sequence_ = 0;
  std::uint16_t oldest_undecided_ = 0;
  bool received_any_ = false;
  std::uint16_t newest_received_ = 0;
  std::uint64_t newest_received_ms_ = 0;
  bool ack_owed_ = false;
  std::uint64_t last_sent_ms_ = 0;
  std::uint64_t last_now_ms_ = 0;
  std::array<std::uint64_t, kDropReasons> drops_{};
  std::uint64_t packets_sent_ = 0, packets_received_ = 0, packets_acked_ = 0, packets_lost_ = 0;
  std::uint64_t messages_sent_ = 0, messages_delivered_ = 0;
};

}  // namespace guildhall::wire::udp
