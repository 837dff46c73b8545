#pragma once
// Snapshot interpolation with an adaptive jitter buffer: how a client draws everything it does not predict (the
// other players, shots, doors) smoothly although snapshots arrive unevenly, late, twice, out of order or not at
// all.
//
// Snapshots are pushed as they arrive, stamped with the server tick they describe. The client draws the world at
// a render time that trails the newest snapshot by a delay, so that most of the time two snapshots bracket it and
// the game blends between them. The delay adapts: it starts at two snapshot intervals, then follows one interval
// plus `jitter_factor` times the measured arrival jitter (the mean lateness behind the quickest arrival), plus one
// more interval while snapshots go missing (more than `loss_allowance` of them, so that one lost snapshot leaves
// a gap the delay still spans), clamped to [min_delay, max_delay]. The render clock never jumps: it speeds up or
// slows down by at most `max_slew` (10%) to reach a new delay. When the buffer runs dry (the render time passes
// the newest snapshot) the newest two are extrapolated for at most `max_extrapolation_ms`, then held; each such
// episode counts as one underrun. (Gaffer On Games, "Snapshot Interpolation"; Valve's Source "cl_interp";
// sdk/js/src/arena_net.ts, which this mirrors.)
//
// The jitter buffer's clock is `jitter_buffer_clock` (no template, src/client/netcode/interpolation.cpp); the
// buffer of states is `snapshot_interpolator<State>`.
//
// Units: times are milliseconds on the caller's monotonic clock (`now_ms`, `arrival_ms`, any origin); ticks are
// the server's. Thread-safety: none; both classes belong to the game loop's thread.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <utility>

#include "guildhall/client/export.hpp"

namespace guildhall::client {

// Snapshots kept, at most: 64 at 30 Hz is two seconds, more than any sane delay plus the baselines a delta codec
// may name (the server encodes against at most 32 ticks back).
inline constexpr std::size_t kMaxBufferedSnapshots = 64;

struct GUILDHALL_CLIENT_API interpolation_config {
  double tick_ms = 1000.0 / 30;        // the server's tick length
  double snapshot_interval_ms = 0;     // time between snapshots the server sends; 0: one per tick (tick_ms)
  double initial_delay_intervals = 2;  // the delay before any jitter is measured, in snapshot intervals
  double min_delay_intervals = 1;      // never closer to the newest snapshot than this
  double max_delay_intervals = 8;      // never further behind: past it, underruns are cheaper than the lag
  double jitter_factor = 2.5;          // delay = interval + factor * jitter; 2 covers uniform lateness exactly
  double max_extrapolation_ms = 100;   // how far past the newest snapshot motion continues before it is held
  double max_slew = 0.1;               // the render clock runs between 1 - slew and 1 + slew while adapting
  double loss_allowance = 0.01;        // a share of snapshots missing above this adds one interval of delay
  std::size_t capacity = kMaxBufferedSnapshots;  // 2 .. kMaxBufferedSnapshots

  double interval_ms() const { return snapshot_interval_ms > 0 ? snapshot_interval_ms : tick_ms; }
  // Empty when usable, else what is wrong.
  std::optional<std::string> validate() const;
};

// The jitter buffer's timing, apart from the states: learns from arrivals when each tick should be drawn.
//
// base: the earliest any tick has arrived (min over the recent arrivals of arrival_ms - tick * tick_ms), so a
// queueing spike cannot pull it and only jitter above the quickest path matters. jitter: the mean lateness of
// arrivals behind base (EWMA, gain 1/16). The render clock's origin glides
// towards base + target delay at most `max_slew` per ms elapsed.
class GUILDHALL_CLIENT_API jitter_buffer_clock {
 public:
  explicit jitter_buffer_clock(interpolation_config config = {});

  // One snapshot of `tick` arrived at `arrival_ms` (new, late or out of order; not a duplicate).
  void on_arrival(std::uint64_t tick, double arrival_ms);

  // The fractional server tick to draw at `now_ms`; nullopt before the first arrival.
  std::optional<double> render_tick(double now_ms) const;

  double jitter_ms() const { return jitter_ms_; }
  // Snapshots missing per snapshot expected (EWMA over the newest arrivals; a reordered one counts until it comes).
  double loss() const { return loss_; }
  double target_delay_ms() const;
  // How far behind the quickest arrival the render clock runs at `now_ms` (gliding towards target_delay_ms()).
  double delay_ms(double now_ms) const { return started_ ? origin_at(now_ms) - base_ms_ : target_delay_ms(); }
  std::uint64_t arrivals() const { return arrivals_; }
  void reset();

 private:
  struct sample {
    std::uint64_t tick;
    double offset_ms;  // arrival_ms - tick * tick_ms
  };
  void recompute_base();
  double origin_at(double now_ms) const;

  interpolation_config config_;
  std::deque<sample> samples_;  // the newest arrivals, bounded by config_.capacity
  double base_ms_ = 0;
  // The render clock: local time at which tick 0 is drawn is origin_ms_ at origin_since_ms_, then glides towards
  // target_origin_ms_ at max_slew ms per ms.
  double origin_ms_ = 0;
  double origin_since_ms_ = 0;
  double target_origin_ms_ = 0;
  double jitter_ms_ = 0;
  double loss_ = 0;
  std::optional<std::uint64_t> newest_tick_;
  std::uint64_t arrivals_ = 0;
  bool started_ = false;
};

enum class push_result : std::uint8_t {
  newest,     // the newest tick so far
  late,       // older than the newest but kept: it still fills a gap for interpolation
  duplicate,  // this tick is already here: ignored
  too_old,    // older than everything the buffer keeps: ignored
};

struct interpolation_stats {
  std::uint64_t pushed = 0;
  std::uint64_t late = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t too_old = 0;
  std::uint64_t underruns = 0;      // episodes of the render time passing the newest snapshot
  std::uint64_t extrapolated = 0;   // samples taken past the newest snapshot
};

// The two snapshots around the render time and where between them it falls. `from` and `to` point into the
// buffer and stay valid until the next push() or reset(). t is in [0, 1] between them; above 1 when extrapolating
// past the newest (from = the one before the newest, to = the newest).
template <class State>
struct interpolation_sample {
  const State* from = nullptr;
  const State* to = nullptr;
  std::uint64_t from_tick = 0;
  std::uint64_t to_tick = 0;
  double t = 0;
  double render_tick = 0;
  bool extrapolated = false;
};

template <class State>
class snapshot_interpolator {
 public:
  using lerp_fn = std::function<State(const State& from, const State& to, double t)>;

  // `config` must validate(). `lerp` is needed by sample_state() only; it may be asked for t > 1 (extrapolation).
  explicit snapshot_interpolator(interpolation_config config = {}, lerp_fn lerp = {})
      : config_(config), clock_(config), lerp_(std::move(lerp)) {}

  push_result push(std::uint64_t tick, State state, double arrival_ms) {
    auto at = std::lower_bound(buffer_.begin(), buffer_.end(), tick,
                               [](const entry& e, std::uint64_t t) { return e.tick < t; });
    if (at != buffer_.end() && at->tick == tick) {
      ++stats_.duplicates;
      return push_result::duplicate;
    }
    if (at == buffer_.begin() && buffer_.size() >= config_.capacity) {
      ++stats_.too_old;
      return push_result::too_old;
    }
    const bool newest = at == buffer_.end();
    buffer_.insert(at, entry{tick, std::move(state)});
    if (buffer_.size() > config_.capacity) buffer_.pop_front();
    clock_.on_arrival(tick, arrival_ms);
    ++stats_.pushed;
    if (newest) {
      in_underrun_ = false;
      return push_result::newest;
    }
    ++stats_.late;
    return push_result::late;
  }

  // The snapshots around the render time of `now_ms`; nullopt while the buffer is empty.
  std::optional<interpolation_sample<State>> sample(double now_ms) {
    if (buffer_.empty()) return std::nullopt;
    interpolation_sample<State> s;
    s.render_tick = *clock_.render_tick(now_ms);
    const entry& newest = buffer_.back();
    if (s.render_tick > double(newest.tick)) return sample_past_newest(s);
    auto hi = std::lower_bound(buffer_.begin(), buffer_.end(), s.render_tick,
                               [](const entry& e, double t) { return double(e.tick) < t; });
    if (hi == buffer_.begin()) return single(s, *hi);  // older than everything kept: hold the oldest
    const entry& b = *hi;
    if (double(b.tick) == s.render_tick) return single(s, b);
    const entry& a = *std::prev(hi);
    s.from = &a.state;
    s.to = &b.state;
    s.from_tick = a.tick;
    s.to_tick = b.tick;
    s.t = (s.render_tick - double(a.tick)) / double(b.tick - a.tick);
    return s;
  }

  // The game's blended state at `now_ms` (needs `lerp`); nullopt while empty.
  std::optional<State> sample_state(double now_ms) {
    auto s = sample(now_ms);
    if (!s) return std::nullopt;
    if (s->from == s->to || !lerp_) return *s->to;
    return lerp_(*s->from, *s->to, s->t);
  }

  // The state of `tick`, if it is buffered.
  const State* at(std::uint64_t tick) const {
    for (const auto& e : buffer_) {
      if (e.tick == tick) return &e.state;
    }
    return nullptr;
  }
  std::optional<std::uint64_t> newest_tick() const {
    return buffer_.empty() ? std::nullopt : std::optional<std::uint64_t>(buffer_.back().tick);
  }
  std::size_t size() const { return buffer_.size(); }
  const jitter_buffer_clock& clock() const { return clock_; }
  const interpolation_stats& stats() const { return stats_; }

  // Forgets every snapshot and what the clock learnt (a new room, a server restart).
  void reset() {
    buffer_.clear();
    clock_.reset();
    in_underrun_ = false;
  }

 private:
  struct entry {
    std::uint64_t tick;
    State state;
  };

  interpolation_sample<State> single(interpolation_sample<State> s, const entry& e) const {
    s.from = s.to = &e.state;
    s.from_tick = s.to_tick = e.tick;
    s.t = 0;
    return s;
  }

  interpolation_sample<State> sample_past_newest(interpolation_sample<State> s) {
    if (!in_underrun_) ++stats_.underruns;
    in_underrun_ = true;
    ++stats_.extrapolated;
    s.extrapolated = true;
    const entry& b = buffer_.back();
    if (buffer_.size() < 2) return single(s, b);
    const entry& a = buffer_[buffer_.size() - 2];
    const double limit = double(b.tick) + config_.max_extrapolation_ms / config_.tick_ms;
    const double tick = std::min(s.render_tick, limit);
    s.from = &a.state;
    s.to = &b.state;
    s.from_tick = a.tick;
    s.to_tick = b.tick;
    s.t = (tick - double(a.tick)) / double(b.tick - a.tick);
    return s;
  }

  interpolation_config config_;
  jitter_buffer_clock clock_;
  lerp_fn lerp_;
  std::deque<entry> buffer_;  // ascending by tick, at most config_.capacity
  bool in_underrun_ = false;
  interpolation_stats stats_;
};

}  // namespace guildhall::client
