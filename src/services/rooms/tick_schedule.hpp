#pragma once
// When a room's ticks are due, drift-free: tick n is due at start + n * period, computed from the start every time
// (never from the previous tick's end), so a slow tick delays the next one at most, and the schedule never slips.
// A tick that starts late is still run and counted late; when the room is behind by more than one period the due
// ticks run back to back, each counted late, at most kMaxCatchUpTicks per wake-up. A room more than kMaxBehindUs
// behind (the process was stopped, the machine suspended) does not replay the gap: the schedule is moved to now
// and the move counted as a stall, so a long pause costs one hiccup, not a burst of hundreds of ticks.
// Pure: time (microseconds on a monotonic clock) is passed in.
// Thread-safety: none; one per room, on the room's shard.
#include <cstdint>
#include <optional>

namespace guildhall::services {

class tick_schedule {
 public:
  static constexpr int kMinHz = 1;
  static constexpr int kMaxHz = 128;
  static constexpr int kMaxCatchUpTicks = 4;           // ticks run in one wake-up when behind
  static constexpr std::int64_t kMaxBehindUs = 1'000'000;  // past this, stall: move the schedule instead of replaying

  // The first tick (1) is due one period after `start_us`.
  tick_schedule(std::int64_t start_us, int tick_hz);

  // A start in [now_us, now_us + period) whose phase within the period is `key`'s point of the golden-ratio
  // sequence. Rooms created together (a matchmaker's batch, a benchmark's ramp) would otherwise tick together, and
  // a shard running a hundred ticks and their snapshots back to back makes the last ones late; spread, the same
  // work comes as small bursts all through the period.
  static std::int64_t spread_start(std::int64_t now_us, int tick_hz, std::uint64_t key);

  int tick_hz() const { return hz_; }
  std::int64_t period_us() const { return 1'000'000 / hz_; }
  // The tick that runs next and when it is due.
  std::uint32_t next_tick() const { return next_; }
  std::int64_t due_us(std::uint32_t tick) const;
  std::int64_t next_due_us() const { return due_us(next_); }

  struct due_tick {
    std::uint32_t tick;
    std::int64_t due_us;
    std::int64_t late_us;  // how long after its due time it starts (>= 0)
    bool late;             // later than a quarter of a period: counted
  };
  // The next tick if it is due at `now_us`, marking it run; nullopt when none is due (or this wake-up already ran
  // kMaxCatchUpTicks: call begin_wake first on every timer wake-up).
  std::optional<due_tick> take(std::int64_t now_us);
  // Starts a timer wake-up: resets the catch-up budget and stalls the schedule when too far behind.
  void begin_wake(std::int64_t now_us);

  std::uint64_t ticks_run() const { return ticks_run_; }
  std::uint64_t late_ticks() const { return late_ticks_; }
  std::uint64_t stalls() const { return stalls_; }
  std::int64_t max_late_us() const { return max_late_us_; }

 private:
  std::int64_t start_us_;
  int hz_;
  std::uint32_t next_ = 1;
  int taken_this_wake_ = 0;
  std::uint64_t ticks_run_ = 0;
  std::uint64_t late_ticks_ = 0;
  std::uint64_t stalls_ = 0;
  std::int64_t max_late_us_ = 0;
};

}  // namespace guildhall::services
