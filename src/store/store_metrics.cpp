#include "store/store_metrics.hpp"

namespace guildhall::store {

store_metrics& database_metrics() {
  auto& registry = metrics::default_registry();
  const metrics::label kind{"kind", {"chat", "grouped"}};
  static store_metrics made{
      registry.add_gauge("guildhall_db_queue_depth", "Database tasks queued or running, by thread queue.",
                         {{"queue", {"writer", "readers", "checkpoint"}}}),
      registry.add_histogram("guildhall_db_commit_seconds",
                             "Time of one group commit (a chat batch, or the grouped match writes), by kind.",
                             metrics::latency_buckets_us(), 1e6, {kind}),
      registry.add_counter("guildhall_db_commit_failures_total", "Group commits that failed, by kind.", {kind}),
  };
  return made;
}

}  // namespace guildhall::store
