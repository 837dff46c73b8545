#include "wire/udp/link_estimator.hpp"

#include <algorithm>

namespace guildhall::wire::udp {
namespace {

constexpr double kRttGain = 0.125;            // RFC 6298's alpha
constexpr double kLossGain = 0.01;            // ~100 packets of memory: steady, yet follows a change in seconds
constexpr std::uint64_t kMinIntervalMs = 100;
constexpr std::uint32_t kMinLossSamples = 16;  // fewer decided packets say too little about loss to back off
constexpr std::uint64_t kBandwidthWindowMs = 250;
constexpr double kBandwidthGain = 0.25;

}  // namespace

link_estimator::link_estimator(const endpoint_config& config)
    : config_(config),
      rtt_ms_(config.initial_rtt_ms),
      rate_(config.initial_send_rate_bytes_per_second),
      budget_(2.0 * static_cast<double>(config.max_packet_bytes)) {}

void link_estimator::on_rtt_sample(double rtt_ms) {
  rtt_ms = std::max(rtt_ms, 0.0);
  if (!have_rtt_) {
    rtt_ms_ = rtt_ms;
    min_rtt_ms_ = rtt_ms;
    have_rtt_ = true;
    return;
  }
  rtt_ms_ += kRttGain * (rtt_ms - rtt_ms_);
  min_rtt_ms_ = std::min(min_rtt_ms_, rtt_ms);
}

void link_estimator::on_packet_decided(bool lost) {
  loss_ += kLossGain * ((lost ? 1.0 : 0.0) - loss_);
  ++interval_decided_;
  if (lost) ++interval_lost_;
}

void link_estimator::on_packet_sent(std::size_t bytes, std::uint64_t now_ms) {
  roll_bandwidth(now_ms);
  sent_bytes_ += bytes;
}

void link_estimator::on_packet_received(std::size_t bytes, std::uint64_t now_ms) {
  roll_bandwidth(now_ms);
  received_bytes_ += bytes;
}

void link_estimator::on_packet_acked(std::size_t bytes, std::uint64_t now_ms) {
  roll_bandwidth(now_ms);
  acked_bytes_ += bytes;
}

void link_estimator::update(std::uint64_t now_ms) {
  if (!started_) {
    started_ = true;
    last_update_ms_ = interval_start_ms_ = window_start_ms_ = now_ms;
    return;
  }
  if (now_ms > last_update_ms_) {
    budget_ += rate_ * static_cast<double>(now_ms - last_update_ms_) / 1000.0;
    const double burst = std::max(2.0 * static_cast<double>(config_.max_packet_bytes), rate_ * config_.burst_ms / 1000.0);
    budget_ = std::min(budget_, burst);
    last_update_ms_ = now_ms;
  }
  const auto interval = std::max<std::uint64_t>(kMinIntervalMs, static_cast<std::uint64_t>(rtt_ms_));
  if (now_ms - interval_start_ms_ >= interval) {
    end_interval();
    interval_start_ms_ = now_ms;
  }
  roll_bandwidth(now_ms);
}

// AIMD: a lossy or queueing interval cuts the rate by backoff_factor; an interval in which reliable data waited on
// the budget without trouble adds increase_bytes_per_second. An idle sender's rate stays where it is.
void link_estimator::end_interval() {
  const bool lossy = interval_decided_ >= kMinLossSamples &&
                     static_cast<double>(interval_lost_) > config_.loss_threshold * interval_decided_;
  const bool inflated = have_rtt_ && rtt_ms_ > config_.rtt_inflation_factor * std::max(min_rtt_ms_, 1.0) + 10.0;
  const double low = config_.min_send_rate_bytes_per_second;
  const double high = config_.max_send_rate_bytes_per_second;
  if (lossy || inflated) {
    rate_ = std::max(low, rate_ * config_.backoff_factor);
  } else if (budget_limited_) {
    rate_ = std::min(high, rate_ + config_.increase_bytes_per_second);
  }
  interval_lost_ = interval_decided_ = 0;
  budget_limited_ = false;
}

bool link_estimator::may_overdraw(std::size_t bytes) const {
  const double debt_limit = rate_ * config_.unreliable_debt_ms / 1000.0;
  return budget_ - static_cast<double>(bytes) >= -debt_limit;
}

std::uint64_t link_estimator::loss_timeout_ms() const {
  return static_cast<std::uint64_t>(2.0 * rtt_ms_) + config_.ack_interval_ms + 20;
}

std::uint64_t link_estimator::resend_delay_ms() const {
  const double delay = config_.resend_rtt_factor * rtt_ms_;
  return std::clamp<std::uint64_t>(static_cast<std::uint64_t>(delay), config_.min_resend_ms, config_.max_resend_ms);
}

void link_estimator::roll_bandwidth(std::uint64_t now_ms) {
  if (now_ms < window_start_ms_ + kBandwidthWindowMs) return;
  const double ms = static_cast<double>(now_ms - window_start_ms_);
  // bytes * 8 bits / ms = kilobits per second
  sent_kbps_ += kBandwidthGain * (static_cast<double>(sent_bytes_) * 8.0 / ms - sent_kbps_);
  received_kbps_ += kBandwidthGain * (static_cast<double>(received_bytes_) * 8.0 / ms - received_kbps_);
  acked_kbps_ += kBandwidthGain * (static_cast<double>(acked_bytes_) * 8.0 / ms - acked_kbps_);
  sent_bytes_ = received_bytes_ = acked_bytes_ = 0;
  window_start_ms_ = now_ms;
}

void link_estimator::fill(endpoint_stats& stats) const {
  stats.rtt_ms = rtt_ms_;
  stats.min_rtt_ms = min_rtt_ms_;
  stats.packet_loss = loss_;
  stats.sent_kbps = sent_kbps_;
  stats.received_kbps = received_kbps_;
  stats.acked_kbps = acked_kbps_;
  stats.send_rate_bytes_per_second = rate_;
}

}  // namespace guildhall::wire::udp
