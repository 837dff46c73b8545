#pragma once
// One player's waiting inputs, in sequence order. A sequence is applied once: one at or below the last applied,
// or already waiting, is a duplicate (clients resend each input in a few messages against loss) and is dropped
// and counted; oversize data is refused; the backlog is bounded, so a flooding client only loses its own inputs.
// Each tick takes at most `per_tick` inputs; the rest wait for the next tick.
// Pure data structure: no clock, no I/O. Thread-safety: none; owned by the room, on its shard.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

namespace guildhall::services {

enum class input_drop : std::size_t { duplicate, stale, oversize, backlog_full, count };

struct queued_input {
  std::uint32_t sequence = 0;
  std::uint32_t client_tick = 0;
  std::uint32_t view_tick = 0;
  std::string data;
};

class input_queue {
 public:
  // Waiting inputs held per tick's worth the player may apply: a client running ahead by more than this many
  // ticks of input is flooding (or its clock is broken).
  static constexpr std::size_t kBacklogTicks = 8;

  input_queue(std::size_t per_tick, std::size_t max_bytes)
      : per_tick_(per_tick), max_bytes_(max_bytes), capacity_(per_tick * kBacklogTicks) {}

  enum class outcome { queued, duplicate, stale, oversize, backlog_full };
  // `data` is moved from only when queued.
  outcome push(std::uint32_t sequence, std::uint32_t client_tick, std::uint32_t view_tick, std::string& data);

  // The inputs to apply this tick (at most per_tick, oldest first); valid until the next call to take or push.
  std::span<const queued_input> take();

  std::size_t waiting() const { return waiting_.size(); }
  std::uint32_t last_applied() const { return last_applied_; }
  std::uint64_t dropped(input_drop why) const { return dropped_[static_cast<std::size_t>(why)]; }
  // Forgets what waits and the last sequence applied: a member who joins again (a reconnecting client may be a
  // new process) starts a new sequence from 1.
  void reset() {
    waiting_.clear();
    last_applied_ = 0;
  }

 private:
  std::size_t per_tick_;
  std::size_t max_bytes_;
  std::size_t capacity_;
  std::deque<queued_input> waiting_;  // sorted by sequence, no duplicates
  std::vector<queued_input> taken_;   // the last take(), kept alive for its span; capacity reused
  std::uint32_t last_applied_ = 0;
  std::uint64_t dropped_[static_cast<std::size_t>(input_drop::count)] = {};
};

}  // namespace guildhall::services
