#include "services/rooms/room_metrics.hpp"

namespace guildhall::services {

room_metrics& rooms_metrics() {
  auto& registry = metrics::default_registry();
  static room_metrics made{
      registry.add_gauge("guildhall_rooms_live", "Real-time rooms running."),
      registry.add_counter("guildhall_room_ticks_total", "Room ticks run."),
      registry.add_counter("guildhall_room_late_ticks_total",
                           "Room ticks that started more than a quarter period after they were due (still run)."),
      registry.add_histogram("guildhall_room_tick_seconds",
                             "Time one room tick took: inputs, the game's tick and every member's snapshot.",
                             {10, 25, 50, 100, 250, 500, 1'000, 2'500, 5'000, 10'000, 25'000, 50'000, 100'000}, 1e6),
      registry.add_counter("guildhall_room_snapshot_bytes_total", "Encoded room snapshot bytes sent to members."),
      registry.add_counter("guildhall_room_snapshots_total", "Room snapshots sent to members."),
      registry.add_counter("guildhall_room_inputs_total", "Player inputs queued for a room's game."),
      registry.add_counter("guildhall_room_inputs_dropped_total", "Player inputs dropped, by reason.",
                           {{"reason", {"duplicate", "stale", "oversize", "backlog_full", "not_member", "rate", "not_seated", "not_playing"}}}),
      registry.add_counter("guildhall_room_entities_rejected_total",
                           "Entities a room's game wrote that its world left out: an unknown type, a wrong number of "
                           "values, a repeated id, or past the entity limit."),
  };
  return made;
}

}  // namespace guildhall::services
