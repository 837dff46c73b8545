#pragma once
// The options an arena room is created with (room_options, strings from the client or the matchmaker):
//   duration_s  match length in seconds, kMinDurationS..kMaxDurationS (default kDefaultDurationS)
//   bots        server-side bot fighters to add, 0..kMaxFighters-1 (default 0); people who join take their places
//   tick_hz     ticks (and snapshots) a second, kMinTickHz..kMaxTickHz (default kDefaultTickHz); the rules are in
//               milliseconds and units per second, so only the granularity changes (the benchmark runs 20 Hz)
//   seed        unsigned 64-bit: spawns and bot brains replay exactly (default: drawn from the room's random)
//   map, mode   if given, must be "yard" and "ffa" (the only ones there are), so a filter on them means something
// Unknown options are ignored, so the matchmaker may pass its own properties through.
#include <cstdint>
#include <expected>
#include <optional>

#include <guildhall/room.hpp>

#include "games/arena/arena_rules.hpp"

namespace guildhall::games::arena {

struct arena_config {
  int duration_s = kDefaultDurationS;
  int bots = 0;
  int tick_hz = kDefaultTickHz;
  std::optional<std::uint64_t> seed;
};

std::expected<arena_config, room_refusal> parse_options(const room_options& options);

}  // namespace guildhall::games::arena
