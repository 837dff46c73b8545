#pragma once
// Service metrics: chat deliveries, live matches, moves and bot thinking. Recorded where the work happens (the
// channel's or match's shard, a bot thread).
// Thread-safety: any thread (see base/metrics.hpp).
#include <cstddef>

#include "base/metrics.hpp"

namespace guildhall::services {

// Series of the `kind` label of deliveries.
enum class delivery_kind : std::size_t { channel, direct };
// Series of the `by` label of moves.
enum class mover : std::size_t { player, bot };

struct service_metrics {
  metrics::counter& chat_deliveries;    // messages handed to member connections, by kind
  metrics::gauge& matches_live;         // open or active matches in shard memory
  metrics::counter& moves;              // durable moves, by who moved
  metrics::histogram& bot_think;        // time a bot thread spent choosing one move
};

service_metrics& services_metrics();

inline std::size_t series(delivery_kind kind) { return static_cast<std::size_t>(kind); }
inline std::size_t series(mover who) { return static_cast<std::size_t>(who); }

}  // namespace guildhall::services
