#include "bench/arena_report.hpp"

#include <cstdio>

namespace guildhall::bench {

double arena_report::bytes_per_player_per_s() const {
  const double players_total = double(rooms) * double(players);
  return players_total > 0 && seconds > 0 ? double(bytes_received) / players_total / seconds : 0;
}

std::string format_arena_line(const arena_report& r) {
  const double players_total = double(r.rooms) * double(r.players);
  char line[1024];
  std::snprintf(
      line, sizeof line,
      "{\"server\":\"%s\",\"scenario\":\"arena\",\"transport\":\"%s\",\"rooms\":%u,\"players\":%u,\"hz\":%d,"
      "\"seconds\":%g,\"server_cpu_us_per_room_tick\":%.2f,\"server_user_us_per_room_tick\":%.2f,"
      "\"p99_tick_ms\":%.3f,\"late_ticks\":%llu,\"bytes_per_player_per_s\":%.1f,\"server_rss_kb_per_room\":%.1f,"
      "\"room_ticks\":%llu,\"room_ticks_from\":\"%s\",\"snapshots_per_player_per_s\":%.2f,\"decode_errors\":%llu,"
      "\"errors\":%llu,\"server_cpu_pct\":%.1f,\"client_cpu_pct\":%.1f,"
      "\"client_poll_pct\":%.1f}\n",
      r.server.c_str(), r.transport.c_str(), r.rooms, r.players, r.hz, r.seconds, r.cpu_us_per_room_tick(),
      r.user_us_per_room_tick(), r.p99_tick_ms, static_cast<unsigned long long>(r.late_ticks),
      r.bytes_per_player_per_s(), r.rss_kb_per_room(), static_cast<unsigned long long>(r.room_ticks),
      r.room_ticks_counted ? "metrics" : "expected",
      players_total > 0 && r.seconds > 0 ? double(r.snapshots) / players_total / r.seconds : 0.0,
      static_cast<unsigned long long>(r.decode_errors), static_cast<unsigned long long>(r.errors), r.server_cpu_pct,
      r.client_cpu_pct, r.client_poll_pct);
  return line;
}

}  // namespace guildhall::bench
