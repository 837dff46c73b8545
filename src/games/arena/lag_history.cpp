#include "games/arena/lag_history.hpp"

#include <algorithm>

namespace guildhall::games::arena {

int max_rewind_ticks(int tick_hz) { return std::max(0, kMaxRewindMs * std::max(1, tick_hz) / 1000); }

std::uint32_t rewind_tick(std::uint32_t view_tick, std::uint32_t now_tick, int tick_hz) {
  if (view_tick >= now_tick) return now_tick;  // a view from the future is a lie or a bug; use the present
  const auto window = std::uint32_t(max_rewind_ticks(tick_hz));
  const std::uint32_t oldest = now_tick >= window ? now_tick - window : 0;
  return std::max(view_tick, oldest);
}

lag_history::lag_history(int tick_hz) : ring_(std::size_t(max_rewind_ticks(tick_hz)) + 1) {}

void lag_history::record(std::uint32_t tick, const history_frame& frame) {
  entry& slot = ring_[tick % ring_.size()];
  slot.tick = tick;
  slot.used = true;
  slot.frame = frame;
}

const history_frame* lag_history::at(std::uint32_t tick) const {
  const entry& slot = ring_[tick % ring_.size()];
  return slot.used && slot.tick == tick ? &slot.frame : nullptr;
}

}  // namespace guildhall::games::arena
