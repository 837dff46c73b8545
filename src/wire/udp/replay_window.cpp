#include "wire/udp/replay_window.hpp"

namespace guildhall::wire::udp {

void replay_window::reset() {
  most_recent_ = 0;
  received_.fill(kEmpty);
}

bool replay_window::already_received(std::uint64_t sequence) const {
  // The sentinel is refused outright rather than mistaken for an empty slot.
  if (sequence == kEmpty) return true;
  // Written without `sequence + kReplayWindow`, which overflows for sequences near 2^64.
  if (most_recent_ >= kReplayWindow && sequence <= most_recent_ - kReplayWindow) return true;
  const std::uint64_t seen = received_[sequence % kReplayWindow];
  if (seen == kEmpty) return false;
  return seen >= sequence;
}

void replay_window::advance(std::uint64_t sequence) {
  if (sequence > most_recent_) most_recent_ = sequence;
  received_[sequence % kReplayWindow] = sequence;
}

}  // namespace guildhall::wire::udp
