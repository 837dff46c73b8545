#include "services/rooms/tick_schedule.hpp"

#include <algorithm>

namespace guildhall::services {

tick_schedule::tick_schedule(std::int64_t start_us, int tick_hz)
    : start_us_(start_us), hz_(std::clamp(tick_hz, kMinHz, kMaxHz)) {}

std::int64_t tick_schedule::spread_start(std::int64_t now_us, int tick_hz, std::uint64_t key) {
  const std::int64_t period = 1'000'000 / std::clamp(tick_hz, kMinHz, kMaxHz);
  // frac(key * 0.618...) in 64-bit fixed point (its top 32 bits are plenty): consecutive keys land far apart and
  // never bunch up.
  constexpr std::uint64_t golden = 0x9E3779B97F4A7C15ull;
  const auto phase = static_cast<std::int64_t>(((key * golden) >> 32) * static_cast<std::uint64_t>(period) >> 32);
  const std::int64_t wait = ((phase - now_us) % period + period) % period;
  return now_us + wait;
}

std::int64_t tick_schedule::due_us(std::uint32_t tick) const {
  // Whole-microsecond rounding is per tick, not accumulated: 30 Hz stays 30 Hz over hours.
  return start_us_ + static_cast<std::int64_t>(tick) * 1'000'000 / hz_;
}

void tick_schedule::begin_wake(std::int64_t now_us) {
  taken_this_wake_ = 0;
  const std::int64_t behind = now_us - next_due_us();
  if (behind <= kMaxBehindUs) return;
  // Re-anchor so the next tick is due now; tick numbers go on from where they were.
  start_us_ = now_us - static_cast<std::int64_t>(next_) * 1'000'000 / hz_;
  ++stalls_;
}

std::optional<tick_schedule::due_tick> tick_schedule::take(std::int64_t now_us) {
  const std::int64_t due = next_due_us();
  if (now_us < due || taken_this_wake_ >= kMaxCatchUpTicks) return std::nullopt;
  ++taken_this_wake_;
  const std::int64_t late_us = now_us - due;
  const bool late = late_us > period_us() / 4;
  ++ticks_run_;
  if (late) ++late_ticks_;
  max_late_us_ = std::max(max_late_us_, late_us);
  return due_tick{next_++, due, late_us, late};
}

}  // namespace guildhall::services
