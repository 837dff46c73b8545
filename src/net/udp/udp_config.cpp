#include "net/udp/udp_config.hpp"

namespace guildhall::net {

result<void> udp_config::validate() const {
  if (max_clients_per_shard == 0) return fail(errc::invalid_argument, "udp.max_clients_per_shard must be positive");
  if (token_lifetime_s == 0) return fail(errc::invalid_argument, "udp.token_lifetime_s must be positive");
  if (timeout_s == 0) return fail(errc::invalid_argument, "udp.timeout_s must be positive");
  const auto percent = [](double value) { return value >= 0 && value <= 100; };
  if (!percent(sim_loss_percent) || !percent(sim_duplicate_percent) || !percent(sim_reorder_percent)) {
    return fail(errc::invalid_argument, "udp.sim_*_percent must be within 0..100");
  }
  constexpr std::uint32_t kMaxSimulatedMs = 10'000;  // beyond any real network; a typo, not a test
  if (sim_latency_ms > kMaxSimulatedMs || sim_jitter_ms > kMaxSimulatedMs) {
    return fail(errc::invalid_argument, "udp.sim_latency_ms and udp.sim_jitter_ms must be at most 10000");
  }
  return {};
}

}  // namespace guildhall::net
