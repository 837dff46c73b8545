#pragma once
// The reliable-ordered channel (yojimbo's ReliableOrderedChannel, with fragments as the unit of resend).
//
// Sender: messages get consecutive 16-bit ids and wait in a queue bounded in messages and bytes. A message above
// fragment_bytes is split into fragments; each fragment is written, remembered by the packet that carried it, and
// written again when resend_delay passes without an ack. Only ids within receive_window of the oldest unacked one
// are written (the receiver drops the rest). A message leaves the queue when all its fragments are acked and every
// older message has left.
//
// Receiver: messages (and fragments) within receive_window of the next id to deliver are buffered and delivered
// in id order, each exactly once. Buffered bytes are capped; the next message to deliver is always accepted, so
// the cap can slow a hostile or unlucky peer but never stall delivery.
// Thread-safety: none; owned by one message_endpoint.
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "wire/udp/endpoint_config.hpp"
#include "wire/udp/message_packet.hpp"

namespace guildhall::wire::udp {

// One fragment (or whole message, index 0) of a reliable message carried by a packet.
struct fragment_ref {
  std::uint16_t id;
  std::uint8_t index;
};

class reliable_sender {
 public:
  explicit reliable_sender(const endpoint_config& config) : config_(config) {}

  // False when the queue is at its cap in messages or bytes (the size was checked by the caller).
  bool push(std::span<const std::uint8_t> message);
  // A packet carrying `ref` was acked.
  void on_acked(fragment_ref ref);

  enum class fill_status { nothing_due, packet_full, budget_limited };
  // Adds fragments that are due (never written, or unacked for resend_delay_ms) to `writer` in id order, while
  // they fit the packet and the packet stays within `budget_bytes`. Scanning resumes where the previous call of
  // the same write pass stopped: call begin_pass() once per write_packets.
  fill_status fill(packet_writer& writer, std::vector<fragment_ref>& carried, std::uint64_t now_ms,
                   std::uint64_t resend_delay_ms, std::size_t budget_bytes);
  void begin_pass() { cursor_message_ = cursor_fragment_ = 0; pass_complete_ = false; earliest_due_ms_ = kNever; }
  // When the last complete pass found nothing more due: the earliest time a resend falls due (kNever: none).
  std::uint64_t next_due_ms() const { return pass_complete_ ? earliest_due_ms_ : 0; }

  std::size_t in_flight() const { return queue_.size(); }
  std::size_t queued_bytes() const { return queued_bytes_; }
  std::uint64_t resent() const { return resent_; }
  static constexpr std::uint64_t kNever = ~std::uint64_t{0};

 private:
  struct fragment_state {
    std::uint64_t last_sent_ms = kNever;
    bool acked = false;
  };
  struct outgoing {
    std::vector<std::uint8_t> bytes;
    std::vector<fragment_state> fragments;
    std::size_t fragments_acked = 0;
  };
  std::span<const std::uint8_t> fragment_bytes(const outgoing& message, std::size_t index) const;
  bool due(const fragment_state& state, std::uint64_t now_ms, std::uint64_t resend_delay_ms);

  endpoint_config config_;
  std::deque<outgoing> queue_;  // queue_[i] has id front_id_ + i
  std::uint16_t front_id_ = 0;
  std::size_t queued_bytes_ = 0;
  std::uint64_t resent_ = 0;
  std::size_t cursor_message_ = 0, cursor_fragment_ = 0;
  bool pass_complete_ = false;
  std::uint64_t earliest_due_ms_ = kNever;
};

class reliable_receiver {
 public:
  explicit reliable_receiver(const endpoint_config& config);

  enum class accept_result { accepted, duplicate, out_of_window, mismatch, buffer_full };
  // `entry` is a reliable message or fragment that decode_packet already checked against the limits.
  accept_result accept(const message_entry& entry);
  // Calls f(span) for each message now deliverable, in order; each span is valid during its call only.
  template <class F>
  std::size_t drain(F&& f) {
    std::size_t delivered = 0;
    for (;;) {
      slot& s = slots_[next_id_ % slots_.size()];
      if (!s.used || s.id != next_id_ || s.received != s.count) return delivered;
      f(std::span<const std::uint8_t>(s.bytes.data(), s.size));
      release(s);
      next_id_ = static_cast<std::uint16_t>(next_id_ + 1);
      ++delivered;
    }
  }
  std::size_t buffered_bytes() const { return buffered_bytes_; }

 private:
  struct slot {
    bool used = false;
    std::uint16_t id = 0;
    std::size_t count = 1, received = 0, size = 0, reserved = 0;
    std::bitset<kMaxFragmentsLimit> have;
    std::vector<std::uint8_t> bytes;
  };
  void release(slot& s);

  endpoint_config config_;
  std::vector<slot> slots_;  // slot of id: id % receive_window
  std::uint16_t next_id_ = 0;
  std::size_t buffered_bytes_ = 0;
};

}  // namespace guildhall::wire::udp
