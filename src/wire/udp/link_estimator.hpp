#pragma once
// The link as one endpoint sees it: smoothed RTT, packet loss, bandwidth, and the congestion-controlled send
// budget (a token bucket whose rate backs off multiplicatively on loss or RTT inflation and grows additively
// while data waits on it, AIMD). Time is milliseconds since any fixed origin, passed in by the caller.
// Thread-safety: none; owned by one message_endpoint.
#include <cstddef>
#include <cstdint>

#include "wire/udp/endpoint_config.hpp"
#include "wire/udp/endpoint_stats.hpp"

namespace guildhall::wire::udp {

class link_estimator {
 public:
  explicit link_estimator(const endpoint_config& config);

  // A round trip measured from an ack of our newest packet, the peer's ack delay already taken off.
  void on_rtt_sample(double rtt_ms);
  // A data packet was decided: acked, or not acked within loss_timeout_ms().
  void on_packet_decided(bool lost);
  void on_packet_sent(std::size_t bytes, std::uint64_t now_ms);
  void on_packet_received(std::size_t bytes, std::uint64_t now_ms);
  void on_packet_acked(std::size_t bytes, std::uint64_t now_ms);

  // Adds the budget earned since the last call and closes a congestion interval when one has passed.
  void update(std::uint64_t now_ms);
  // Bytes that may go now (negative after unreliable data overdrew it).
  double budget_bytes() const { return budget_; }
  // The budget update(now_ms) would leave (burst cap aside): for a cheap "would anything go" check.
  double budget_at(std::uint64_t now_ms) const {
    return now_ms > last_update_ms_ ? budget_ + rate_ * static_cast<double>(now_ms - last_update_ms_) / 1000.0 : budget_;
  }
  // True when `bytes` more may be written by unreliable data (which may overdraw up to unreliable_debt_ms).
  bool may_overdraw(std::size_t bytes) const;
  void spend(std::size_t bytes) { budget_ -= static_cast<double>(bytes); }
  // Reliable data waited on the budget during this interval: the rate may grow.
  void note_budget_limited() { budget_limited_ = true; }

  double rtt_ms() const { return rtt_ms_; }
  double send_rate() const { return rate_; }
  // After this long without an ack a packet counts as lost: two RTTs plus the peer's ack delay.
  std::uint64_t loss_timeout_ms() const;
  // An unacked reliable fragment is written again after this long.
  std::uint64_t resend_delay_ms() const;
  void fill(endpoint_stats& stats) const;

 private:
  void end_interval();
  void roll_bandwidth(std::uint64_t now_ms);

  endpoint_config config_;
  double rtt_ms_;
  double min_rtt_ms_ = 0;
  bool have_rtt_ = false;
  double loss_ = 0;
  double rate_;
  double budget_;
  std::uint64_t last_update_ms_ = 0;
  bool started_ = false;
  // Congestion interval: at least 100 ms or one RTT, so each decision sees the effect of the previous one.
  std::uint64_t interval_start_ms_ = 0;
  std::uint32_t interval_lost_ = 0;
  std::uint32_t interval_decided_ = 0;
  bool budget_limited_ = false;
  // Bandwidth windows (bytes in the current window, smoothed kbps).
  std::uint64_t window_start_ms_ = 0;
  std::uint64_t sent_bytes_ = 0, received_bytes_ = 0, acked_bytes_ = 0;
  double sent_kbps_ = 0, received_kbps_ = 0, acked_kbps_ = 0;
};

}  // namespace guildhall::wire::udp
