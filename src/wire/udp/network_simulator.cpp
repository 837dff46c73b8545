#include "wire/udp/network_simulator.hpp"

namespace guildhall::wire::udp {

namespace {
// A one-way delay above this is a typo (ms for s), not a network.
constexpr std::uint32_t kMaxLatencyMs = 10000;
}  // namespace

result<void> impairment_config::validate() const {
  auto percent = [](double p) { return p >= 0.0 && p <= 100.0; };
  if (!percent(loss_percent) || !percent(duplicate_percent) || !percent(reorder_percent)) {
    return fail(errc::invalid_argument, "udp.sim: loss, duplicate and reorder percentages must be in 0..100");
  }
  if (latency_ms > kMaxLatencyMs || jitter_ms > kMaxLatencyMs || reorder_delay_ms > kMaxLatencyMs) {
    return fail(errc::invalid_argument, "udp.sim: latency, jitter and reorder delay must be at most 10000 ms");
  }
  if (max_queue_packets == 0 || max_queue_bytes == 0) {
    return fail(errc::invalid_argument, "udp.sim: the queue caps must be positive");
  }
  return {};
}

}  // namespace guildhall::wire::udp
