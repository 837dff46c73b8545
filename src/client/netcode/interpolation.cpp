// The jitter buffer's clock of include/guildhall/client/interpolation.hpp (the buffer of states is a template in
// the header).
#include "guildhall/client/interpolation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace guildhall::client {

namespace {
// The jitter estimate's gain (RFC 3550's for its interarrival jitter): smooth enough that one late packet moves it
// little, quick enough (about 16 snapshots, half a second at 30 Hz) to follow a network that turns bad.
constexpr double kJitterGain = 1.0 / 16;
// Arrivals before the jitter estimate is trusted; until then the delay is at least initial_delay_intervals.
constexpr std::uint64_t kWarmupArrivals = 16;
// The loss estimate's gain: about 64 snapshots (two seconds at 30 Hz), so one loss raises it to ~1.5% and the extra
// interval stays while losses keep coming at a few percent, then goes within seconds of a clean link.
constexpr double kLossGain = 1.0 / 64;
// Ticks missing at once that count as loss; a longer gap is an outage (or a paused server), not a loss rate.
constexpr double kMaxCountedGap = 8;
// A target this far from the render clock (the server restarted its ticks, the caller's clock stepped, a long
// pause) is jumped to rather than glided to: gliding at 10% would take ten times as long.
constexpr double kRenderResyncMs = 1000;

bool finite_at_least(double value, double least) { return std::isfinite(value) && value >= least; }
}  // namespace

std::optional<std::string> interpolation_config::validate() const {
  if (!finite_at_least(tick_ms, 0) || tick_ms <= 0) return "tick_ms must be a finite number > 0";
  if (!finite_at_least(snapshot_interval_ms, 0)) return "snapshot_interval_ms must be a finite number >= 0";
  if (!finite_at_least(min_delay_intervals, 0)) return "min_delay_intervals must be a finite number >= 0";
  if (!finite_at_least(max_delay_intervals, min_delay_intervals)) {
    return "max_delay_intervals must be finite and >= min_delay_intervals";
  }
  if (!finite_at_least(initial_delay_intervals, min_delay_intervals) ||
      initial_delay_intervals > max_delay_intervals) {
    return "initial_delay_intervals must lie in [min_delay_intervals, max_delay_intervals]";
  }
  if (!finite_at_least(jitter_factor, 0)) return "jitter_factor must be a finite number >= 0";
  if (!finite_at_least(max_extrapolation_ms, 0)) return "max_extrapolation_ms must be a finite number >= 0";
  if (!finite_at_least(max_slew, 0) || max_slew >= 1) return "max_slew must be in [0, 1)";
  if (!finite_at_least(loss_allowance, 0)) return "loss_allowance must be a finite number >= 0";
  if (capacity < 2 || capacity > kMaxBufferedSnapshots) {
    return "capacity must be in 2.." + std::to_string(kMaxBufferedSnapshots);
  }
  return std::nullopt;
}

jitter_buffer_clock::jitter_buffer_clock(interpolation_config config) : config_(config) {}

void jitter_buffer_clock::reset() { *this = jitter_buffer_clock(config_); }

double jitter_buffer_clock::target_delay_ms() const {
  const double interval = config_.interval_ms();
  double delay = interval + config_.jitter_factor * jitter_ms_;
  if (loss_ > config_.loss_allowance) delay += interval;
  if (arrivals_ < kWarmupArrivals) delay = std::max(delay, config_.initial_delay_intervals * interval);
  return std::clamp(delay, config_.min_delay_intervals * interval, config_.max_delay_intervals * interval);
}

void jitter_buffer_clock::on_arrival(std::uint64_t tick, double arrival_ms) {
  const sample s{tick, arrival_ms - double(tick) * config_.tick_ms};
  samples_.push_back(s);
  while (samples_.size() > config_.capacity) samples_.pop_front();
  recompute_base();
  // Jitter as the mean lateness behind the quickest arrival: what the delay has to cover, measured directly.
  // (RFC 3550's difference of consecutive transit times reads low when lateness is spread evenly.)
  jitter_ms_ += ((s.offset_ms - base_ms_) - jitter_ms_) * kJitterGain;
  if (!newest_tick_ || tick > *newest_tick_) {
    const double step = config_.interval_ms() / config_.tick_ms;  // ticks between snapshots
    const double missing = newest_tick_ ? double(tick - *newest_tick_) / step - 1 : 0;
    loss_ += (std::clamp(std::round(missing), 0.0, kMaxCountedGap) - loss_) * kLossGain;
    newest_tick_ = tick;
  }
  ++arrivals_;
  const double target = base_ms_ + target_delay_ms();
  if (!started_) {
    origin_ms_ = target_origin_ms_ = target;
    origin_since_ms_ = arrival_ms;
    started_ = true;
    return;
  }
  const double now = std::max(arrival_ms, origin_since_ms_);
  origin_ms_ = origin_at(now);
  origin_since_ms_ = now;
  target_origin_ms_ = target;
  if (std::abs(target - origin_ms_) > kRenderResyncMs) origin_ms_ = target;
}

void jitter_buffer_clock::recompute_base() {
  double base = std::numeric_limits<double>::infinity();
  for (const auto& s : samples_) base = std::min(base, s.offset_ms);
  base_ms_ = base;
}

double jitter_buffer_clock::origin_at(double now_ms) const {
  const double elapsed = std::max(0.0, now_ms - origin_since_ms_);
  const double reach = config_.max_slew * elapsed;
  return origin_ms_ + std::clamp(target_origin_ms_ - origin_ms_, -reach, reach);
}

std::optional<double> jitter_buffer_clock::render_tick(double now_ms) const {
  if (!started_) return std::nullopt;
  return (now_ms - origin_at(now_ms)) / config_.tick_ms;
}

}  // namespace guildhall::client
