#pragma once
// Lag compensation, the Source engine way: the server remembers where every body was for the last kMaxRewindMs,
// and tests a shot against the world as the shooter saw it (their input's view_tick), not as it is now. Without
// it a player with 100 ms of latency must lead every target by 100 ms. The window is bounded so that a client
// cannot claim an arbitrarily old view to shoot someone who has long since reached cover. Pure: no clock, ticks
// only.
#include <array>
#include <cstdint>
#include <vector>

#include "games/arena/arena_rules.hpp"
#include "games/arena/geometry.hpp"

namespace guildhall::games::arena {

// Where one fighter slot's body was at one tick. `life` counts that slot's spawns, so a shot aimed at a body
// that has since died and respawned (or left, and someone else took the slot) cannot hit the new one.
struct body_sample {
  vec2 position;
  std::uint32_t life = 0;
  bool present = false;  // someone held the slot
  bool alive = false;
};
using history_frame = std::array<body_sample, kMaxFighters>;

// Whole ticks in kMaxRewindMs at `tick_hz` (6 at 30 Hz, 4 at 20 Hz).
int max_rewind_ticks(int tick_hz);

// The tick a shot fired at `now_tick` is tested at: the shooter's view_tick, but never in the future and never
// more than max_rewind_ticks in the past.
std::uint32_t rewind_tick(std::uint32_t view_tick, std::uint32_t now_tick, int tick_hz);

class lag_history {
 public:
  explicit lag_history(int tick_hz);

  // Remembers the bodies as they were at the end of `tick`; forgets the oldest frame.
  void record(std::uint32_t tick, const history_frame& frame);
  // The frame recorded for `tick`, or nullptr if it was never recorded or has been forgotten.
  const history_frame* at(std::uint32_t tick) const;
  std::size_t capacity() const { return ring_.size(); }

 private:
  struct entry {
    std::uint32_t tick = 0;
    bool used = false;
    history_frame frame;
  };
  std::vector<entry> ring_;  // indexed by tick % size: max_rewind_ticks + 1 frames, never more
};

}  // namespace guildhall::games::arena
