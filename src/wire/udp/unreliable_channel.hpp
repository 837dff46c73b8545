#pragma once
// The unreliable channel: messages are written once and never resent; each carries a 16-bit id so the receiver
// delivers only messages newer than the newest it delivered (a late snapshot is worse than none).
//
// Sender: "latest wins" - send_latest(message, slot) replaces an unwritten message of the same non-zero slot (a
// room's snapshot), so a slow link carries the newest state instead of a backlog. Unreliable data is not held
// back by the congestion budget; past the budget's debt limit it is dropped and counted instead.
// Receiver: fragmented messages are reassembled in a few slots, delivered only when complete, and dropped when a
// newer message completes first.
// Thread-safety: none; owned by one message_endpoint.
#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "wire/udp/endpoint_config.hpp"
#include "wire/udp/endpoint_stats.hpp"
#include "wire/udp/link_estimator.hpp"
#include "wire/udp/message_packet.hpp"

namespace guildhall::wire::udp {

class unreliable_sender {
 public:
  explicit unreliable_sender(const endpoint_config& config) : config_(config) {}

  enum class push_result { queued, replaced, over_limit };
  // slot 0: an independent message; otherwise replaces the queued message of that slot.
  push_result push(std::span<const std::uint8_t> message, std::uint64_t slot);
  // Writes queued messages (fragment by fragment) while they fit the packet. Returns true when the packet is full
  // and more waits. A message that would overdraw the budget past its debt limit is dropped (counted in `drops`).
  // `newest_written` gets the newest id written into the packet, when any.
  bool fill(packet_writer& writer, const link_estimator& link, std::uint64_t& over_budget_drops,
            std::optional<std::uint16_t>& newest_written);
  bool empty() const { return queue_.empty(); }
  // A packet that carried unreliable message `id` was acked: the receiver has seen it, so ids less than
  // kShortIdReach ahead of it may travel short (message_packet.hpp).
  void on_acked(std::uint16_t id);

 private:
  struct pending {
    std::uint64_t slot = 0;
    std::uint16_t id = 0;
    std::size_t next_fragment = 0;
    std::vector<std::uint8_t> bytes;
  };
  std::size_t fragment_count(const pending& message) const;

  endpoint_config config_;
  std::deque<pending> queue_;
  std::size_t queued_bytes_ = 0;
  std::uint16_t next_id_ = 0;
  std::optional<std::uint16_t> newest_acked_;
};

class unreliable_receiver {
 public:
  explicit unreliable_receiver(const endpoint_config& config);

  // `entry` was checked by decode_packet. Counts what it drops in `drops` (indexed by drop_reason).
  void accept(const message_entry& entry, std::array<std::uint64_t, kDropReasons>& drops);
  // Calls f(span) for each complete message, oldest first.
  template <class F>
  std::size_t drain(F&& f) {
    std::size_t delivered = 0;
    while (!ready_.empty()) {
      std::vector<std::uint8_t> message = std::move(ready_.front());
      ready_.pop_front();
      f(std::span<const std::uint8_t>(message));
      ++delivered;
    }
    return delivered;
  }

 private:
  struct partial {
    bool used = false;
    std::uint16_t id = 0;
    std::size_t count = 0, received = 0, size = 0;
    std::bitset<kMaxFragmentsLimit> have;
    std::vector<std::uint8_t> bytes;
  };
  partial* partial_for(std::uint16_t id, std::size_t count, std::array<std::uint64_t, kDropReasons>& drops);
  void complete(std::uint16_t id, std::span<const std::uint8_t> bytes, std::array<std::uint64_t, kDropReasons>& drops);
  // The full id of `entry`: a short one is restored as the id nearest the newest seen. None: a short id before
  // any id was seen, which no honest sender writes.
  std::optional<std::uint16_t> full_id(const message_entry& entry);

  endpoint_config config_;
  std::vector<partial> partials_;
  std::deque<std::vector<std::uint8_t>> ready_;
  std::uint16_t newest_id_ = 0;
  bool delivered_any_ = false;
  std::optional<std::uint16_t> newest_seen_;  // the reference for short ids: the newest id in any entry
};

}  // namespace guildhall::wire::udp
