#pragma once
// One decoded arena snapshot as the client draws it: players, shots and the match, in map units (+y up), read
// from the snapshot codec's entity set through the arena's schema (src/games/arena/arena_schema.hpp). Pure.
#include <cstdint>
#include <optional>
#include <vector>

#include "wire/snapshot/entity_set.hpp"

namespace guildhall::arena_sdl {

struct player_view {
  int seat = 0;
  double x = 0, y = 0;
  double angle = 0;  // radians, counter-clockwise from +x
  int health = 0;
  bool alive = false;
  int score = 0, deaths = 0;
  bool bot = false;
};

struct shot_view {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  int seat = 0;
  bool hit = false;
};

struct world_view {
  std::vector<player_view> players;  // by seat, ascending
  std::vector<shot_view> shots;
  double time_left_s = 0;
  int match_state = 0;  // games::arena::match_state
};

world_view world_from(const wire::snapshot::entity_set& set);

// Players blended by seat (position and aim; t may exceed 1 when extrapolating); a player missing from either
// side, dead on either side, or respawned between them is taken from `to`. Shots and the match come from `to`.
world_view lerp_world(const world_view& from, const world_view& to, double t);

const player_view* find_seat(const world_view& world, int seat);

}  // namespace guildhall::arena_sdl
