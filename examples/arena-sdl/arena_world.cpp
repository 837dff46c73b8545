#include "arena_world.hpp"

#include <cmath>
#include <numbers>

#include "games/arena/arena_schema.hpp"
#include "wire/snapshot/quantize.hpp"

namespace guildhall::arena_sdl {

namespace arena = games::arena;

namespace {

// Further than a fighter runs in the longest interpolation gap (8 ticks at 6 units/s is 1.6 units): a respawn.
constexpr double kTeleportDistance = 3.0;

double lerp_angle(double a, double b, double t) {
  double d = std::fmod(b - a, 2 * std::numbers::pi);
  if (d > std::numbers::pi) d -= 2 * std::numbers::pi;
  if (d < -std::numbers::pi) d += 2 * std::numbers::pi;
  return a + d * t;
}

}  // namespace

world_view world_from(const wire::snapshot::entity_set& set) {
  const auto& types = arena::arena_world_schema().types;
  world_view world;
  for (std::size_t i = 0; i < set.size(); ++i) {
    const auto type = set.type(i);
    if (type >= types.size()) continue;
    const auto values = set.fields(i);
    const auto& fields = types[type].fields;
    if (values.size() != fields.size()) continue;
    const auto v = [&](std::uint8_t f) { return wire::snapshot::dequantize(fields[f], values[f]); };
    if (type == arena::kPlayerType) {
      world.players.push_back({.seat = int(v(arena::kPseat)), .x = v(arena::kPx), .y = v(arena::kPy),
                               .angle = v(arena::kPangle), .health = int(v(arena::kPhealth)),
                               .alive = v(arena::kPalive) != 0, .score = int(v(arena::kPscore)),
                               .deaths = int(v(arena::kPdeaths)), .bot = v(arena::kPbot) != 0});
    } else if (type == arena::kShotType) {
      world.shots.push_back({.x0 = v(arena::kSx0), .y0 = v(arena::kSy0), .x1 = v(arena::kSx1), .y1 = v(arena::kSy1),
                             .seat = int(v(arena::kSseat)), .hit = v(arena::kShit) != 0});
    } else if (type == arena::kMatchType) {
      world.time_left_s = v(arena::kMtime_left);
      world.match_state = int(v(arena::kMstate));
    }
  }
  return world;
}

const player_view* find_seat(const world_view& world, int seat) {
  for (const auto& p : world.players) {
    if (p.seat == seat) return &p;
  }
  return nullptr;
}

world_view lerp_world(const world_view& from, const world_view& to, double t) {
  world_view out = to;
  for (auto& p : out.players) {
    const player_view* a = find_seat(from, p.seat);
    if (!a || !a->alive || !p.alive) continue;
    if (std::hypot(p.x - a->x, p.y - a->y) > kTeleportDistance) continue;
    p.x = a->x + (p.x - a->x) * t;
    p.y = a->y + (p.y - a->y) * t;
    p.angle = lerp_angle(a->angle, p.angle, t);
  }
  return out;
}

}  // namespace guildhall::arena_sdl
