#pragma once
// Database metrics: how much work waits for each database thread, and how long commits take.
// Thread-safety: any thread (see base/metrics.hpp).
#include <cstddef>

#include "base/metrics.hpp"

namespace guildhall::store {

// Series of the `queue` label.
enum class db_queue : std::size_t { writer, readers, checkpoint };
// Series of the `kind` label: a chat batch, the grouped writes (moves, matches), other writer work.
enum class commit_kind : std::size_t { chat, grouped };

struct store_metrics {
  metrics::gauge& queue_depth;          // tasks queued or running, by queue
  metrics::histogram& commit_seconds;   // by kind
  metrics::counter& commit_failures;    // by kind
};

store_metrics& database_metrics();

inline std::size_t series(db_queue queue) { return static_cast<std::size_t>(queue); }
inline std::size_t series(commit_kind kind) { return static_cast<std::size_t>(kind); }

}  // namespace guildhall::store
