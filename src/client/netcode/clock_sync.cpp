// include/guildhall/client/clock_sync.hpp: min-filtered offset and round trip over a sliding window.
#include "guildhall/client/clock_sync.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace guildhall::client {

namespace {
// RFC 6298's gains for the smoothed round trip and its mean deviation.
constexpr double kRttGain = 1.0 / 8;
constexpr double kRttDeviationGain = 1.0 / 4;
}  // namespace

std::optional<std::string> clock_sync_config::validate() const {
  if (!std::isfinite(tick_ms) || tick_ms <= 0) return "tick_ms must be a finite number > 0";
  if (!std::isfinite(window_ms) || window_ms <= 0) return "window_ms must be a finite number > 0";
  if (!std::isfinite(input_margin_ticks) || input_margin_ticks < 0) {
    return "input_margin_ticks must be a finite number >= 0";
  }
  if (!std::isfinite(resync_ms) || resync_ms <= 0) return "resync_ms must be a finite number > 0";
  return std::nullopt;
}

clock_sync::clock_sync(clock_sync_config config) : config_(config) {}

void clock_sync::push(std::deque<sample>& samples, sample s, double window_ms) {
  samples.push_back(s);
  const double newest = std::max_element(samples.begin(), samples.end(), [](const sample& a, const sample& b) {
                          return a.at_ms < b.at_ms;
                        })->at_ms;
  while (!samples.empty() && (samples.front().at_ms < newest - window_ms || samples.size() > kMaxClockSamples)) {
    samples.pop_front();
  }
}

double clock_sync::minimum(const std::deque<sample>& samples) {
  double least = std::numeric_limits<double>::infinity();
  for (const auto& s : samples) least = std::min(least, s.value_ms);
  return least;
}

void clock_sync::on_snapshot(std::uint64_t tick, double receive_ms) {
  if (!std::isfinite(receive_ms)) return;
  const double value = receive_ms - double(tick) * config_.tick_ms;
  if (!offsets_.empty() && value < minimum(offsets_) - config_.resync_ms) {
    offsets_.clear();
    ++resyncs_;
  }
  push(offsets_, {receive_ms, value}, config_.window_ms);
}

void clock_sync::on_round_trip(double rtt_ms, double now_ms) {
  if (!(rtt_ms >= 0) || !std::isfinite(rtt_ms) || !std::isfinite(now_ms)) return;
  if (rtts_.empty() && srtt_ms_ == 0) {
    srtt_ms_ = rtt_ms;
    rttvar_ms_ = rtt_ms / 2;
  } else {
    rttvar_ms_ += (std::abs(srtt_ms_ - rtt_ms) - rttvar_ms_) * kRttDeviationGain;
    srtt_ms_ += (rtt_ms - srtt_ms_) * kRttGain;
  }
  push(rtts_, {now_ms, rtt_ms}, config_.window_ms);
}

double clock_sync::min_rtt_ms() const { return rtts_.empty() ? 0 : minimum(rtts_); }

std::optional<double> clock_sync::offset_ms() const {
  if (offsets_.empty()) return std::nullopt;
  return minimum(offsets_) - min_rtt_ms() / 2;
}

std::optional<double> clock_sync::server_tick_at(double local_ms) const {
  const auto offset = offset_ms();
  if (!offset) return std::nullopt;
  return (local_ms - *offset) / config_.tick_ms;
}

std::optional<std::uint64_t> clock_sync::input_tick(double local_ms) const {
  const auto tick = server_tick_at(local_ms + srtt_ms_ / 2 + 2 * rttvar_ms_);
  if (!tick) return std::nullopt;
  return std::uint64_t(std::max(0.0, std::ceil(*tick + config_.input_margin_ticks)));
}

}  // namespace guildhall::client
