#pragma once
// One decoded arena snapshot as the client draws it: players, shots and the match, in map units (+y up), read
// from the SDK's room_snapshot through the schema the server sent with room_joined. Fields are found by name
// (src/games/arena/arena_schema.hpp lists them), once per join, not assumed at fixed positions. Pure.
#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include <guildhall/client/rooms.hpp>

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

// Where each field the client draws sits in the room's schema: entity_state::kind and entity_state::fields
// indexes.
struct world_layout {
  std::uint8_t player = 0, shot = 0, match = 0;  // the kinds
  struct player_fields {
    std::size_t x, y, angle, health, alive, score, deaths, seat, bot;
  } p{};
  struct shot_fields {
    std::size_t x0, y0, x1, y1, seat, hit;
  } s{};
  struct match_fields {
    std::size_t time_left, state;
  } m{};
};

// The layout of an arena room's schema, or the first kind or field it lacks ("player.x"): not an arena room, or a
// server of another version.
std::expected<world_layout, std::string> layout_of(const client::room_schema& schema);

// Entities of unknown kinds, or with fewer fields than the layout reads, are skipped.
world_view world_from(const client::room_snapshot& snapshot, const world_layout& layout);

// Players blended by seat (position and aim; t may exceed 1 when extrapolating); a player missing from either
// side, dead on either side, or respawned between them is taken from `to`. Shots and the match come from `to`.
world_view lerp_world(const world_view& from, const world_view& to, double t);

const player_view* find_seat(const world_view& world, int seat);

}  // namespace guildhall::arena_sdl
