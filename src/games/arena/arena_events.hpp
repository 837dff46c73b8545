#pragma once
// The arena's reliable events, as JSON payloads for room_context::broadcast:
//   "kill"     {"killer":3,"victim":5,"killer_name":"ann","victim_name":"bot 2"}        seats and display names
//   "respawn"  {"seat":5,"x":24.0,"y":5.0}
//   "results"  {"reason":"time","winner":3,"scores":[{"seat":3,"name":"ann","kills":7,"deaths":2,"bot":false},...]}
//              scores sorted best first (kills, then fewer deaths, then seat); winner is null with no fighters.
// Names come from users: they are escaped here and cut to kMaxNameBytes.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "games/arena/geometry.hpp"

namespace guildhall::games::arena {

inline constexpr std::size_t kMaxNameBytes = 32;

struct score_line {
  int seat = 0;
  std::string name;
  int kills = 0;
  int deaths = 0;
  bool bot = false;
};

std::string kill_event(int killer, std::string_view killer_name, int victim, std::string_view victim_name);
std::string respawn_event(int seat, vec2 position);
// Sorts `scores` best first and writes the results.
std::string results_event(std::vector<score_line> scores, std::string_view reason);

// `text` as a JSON string literal (quotes included), cut to kMaxNameBytes on a UTF-8 character boundary.
std::string json_name(std::string_view text);

}  // namespace guildhall::games::arena
