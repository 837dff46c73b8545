#pragma once
// Replay protection for encrypted packets (netcode STANDARD.md "Replay Protection"). An attacker who records a
// valid packet can send it again; its MAC still verifies, so the receiver remembers which sequences it has seen.
// A window of kReplayWindow slots: slot (sequence % size) holds the last sequence stored there. A packet is refused
// when it is older than most_recent - kReplayWindow, or when its slot already holds it (or a later sequence that
// maps to the same slot, which means it is too old to judge).
// Use: already_received() before decrypting (cheap refusal), advance() only after the packet authenticated, so a
// forged sequence cannot move the window.
// Thread-safety: none; one per connection, on its shard.
#include <array>
#include <cstdint>

#include "wire/udp/udp_limits.hpp"

namespace guildhall::wire::udp {

class replay_window {
 public:
  replay_window() { reset(); }

  void reset();
  bool already_received(std::uint64_t sequence) const;
  void advance(std::uint64_t sequence);
  std::uint64_t most_recent() const { return most_recent_; }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};  // no real sender reaches 2^64 - 1 packets

  std::uint64_t most_recent_ = 0;
  std::array<std::uint64_t, kReplayWindow> received_;
};

}  // namespace guildhall::wire::udp
