#pragma once
// The arena benchmark's result: the figures of issue 9 ("Benchmark") and the counts that say whether a run can be
// trusted, printed as the one JSON line bench/run.sh relays. Pure; safe from any thread.
#include <cstdint>
#include <string>

namespace guildhall::bench {

struct arena_report {
  std::string server = "guildhall";
  std::string transport = "websocket";  // websocket or tcp
  unsigned rooms = 0;
  unsigned players = 0;                 // per room
  int hz = 0;
  double seconds = 0;                   // the measured window
  std::uint64_t room_ticks = 0;         // in the window: the server's counter, or rooms * hz * seconds
  bool room_ticks_counted = false;      // true: from /metrics; false: the expected number
  double server_cpu_seconds = 0;        // user + system, in the window
  double server_user_seconds = 0;
  double p99_tick_ms = -1;              // from the server's tick time histogram; -1: not available
  std::uint64_t late_ticks = 0;
  std::uint64_t bytes_received = 0;     // by every player, on the wire, in the window
  double server_rss_kb_added = 0;       // resident memory once every room was full, less before any existed
  double server_cpu_pct = 0;            // of one core, over the window
  double client_cpu_pct = 0;
  // The load generator's CPU inside its SDK poll rounds (snapshot decoding and the brain's handlers included), in %
  // of one core: the part of client_cpu_pct that polling every player's client costs (client_pump.hpp).
  double client_poll_pct = 0;
  std::uint64_t snapshots = 0;          // decoded by every player in the window
  std::uint64_t decode_errors = 0;      // over the whole run
  std::uint64_t errors = 0;             // refusals and closures over the whole run

  double cpu_us_per_room_tick() const { return per_room_tick(server_cpu_seconds); }
  double user_us_per_room_tick() const { return per_room_tick(server_user_seconds); }
  double bytes_per_player_per_s() const;
  double rss_kb_per_room() const { return rooms ? server_rss_kb_added / rooms : 0; }

 private:
  double per_room_tick(double seconds) const { return room_ticks ? seconds * 1e6 / double(room_ticks) : 0; }
};

// {"server":"guildhall","scenario":"arena","transport":...,"rooms":K,...} with a newline.
std::string format_arena_line(const arena_report& report);

}  // namespace guildhall::bench
