#pragma once
// Real-time room metrics (GET /metrics): rooms live, ticks and late ticks, tick time, snapshot bytes and dropped
// inputs by reason. Recorded where the work happens: the room's shard, or the connection's for inputs refused
// before they reach a room.
// Thread-safety: any thread (see base/metrics.hpp).
#include <cstddef>

#include "base/metrics.hpp"

namespace guildhall::services {

// Series of the `reason` label of dropped inputs: the input_queue's reasons, then the session's.
enum class input_drop_reason : std::size_t {
  duplicate,     // a sequence already applied or waiting (redundant resends: normal)
  stale,         // sequence 0
  oversize,      // longer than the type's max_input_bytes
  backlog_full,  // the player is more than input_queue::kBacklogTicks ticks of input ahead
  not_member,    // for a room the connection is not a player in
  rate,          // past the connection's input message rate
  not_seated,    // from a connection that no longer holds the seat (replaced), or for a room that has ended
  not_playing,   // from a spectator, or a player the room counts as disconnected
};

struct room_metrics {
  metrics::gauge& rooms_live;
  metrics::counter& ticks;
  metrics::counter& late_ticks;
  metrics::histogram& tick_time;        // µs per tick: simulation and every member's snapshot
  metrics::counter& snapshot_bytes;     // encoded snapshot payload, before protobuf and framing
  metrics::counter& snapshots_sent;
  metrics::counter& inputs;             // inputs queued for a game
  metrics::counter& inputs_dropped;     // by reason
  metrics::counter& entities_rejected;  // written by a game but left out of its world (a game bug to look at)
};

room_metrics& rooms_metrics();

inline std::size_t series(input_drop_reason reason) { return static_cast<std::size_t>(reason); }

}  // namespace guildhall::services
