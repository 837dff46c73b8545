#include "services/service_metrics.hpp"

namespace guildhall::services {

service_metrics& services_metrics() {
  auto& registry = metrics::default_registry();
  static service_metrics made{
      registry.add_counter("guildhall_chat_deliveries_total",
                           "Chat messages handed to member connections (one per receiving connection), by kind.",
                           {{"kind", {"channel", "direct"}}}),
      registry.add_gauge("guildhall_matches_live", "Open or active turn-based matches held in memory."),
      registry.add_counter("guildhall_moves_total", "Moves made durable, by who moved.", {{"by", {"player", "bot"}}}),
      registry.add_histogram("guildhall_bot_think_seconds", "Time a bot thread took to choose one move.",
                             metrics::latency_buckets_us(), 1e6),
  };
  return made;
}

}  // namespace guildhall::services
