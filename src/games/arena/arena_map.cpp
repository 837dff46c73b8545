#include "games/arena/arena_map.hpp"

#include <algorithm>

namespace guildhall::games::arena {
namespace {

arena_map make_yard() {
  arena_map map;
  map.name = "yard";
  map.width = 48;
  map.height = 32;
  const double w = map.width, h = map.height;
  map.walls = {
      // The edges of the playfield, one unit thick, just outside it.
      {{-1, -1}, {w + 1, 0}},
      {{-1, h}, {w + 1, h + 1}},
      {{-1, 0}, {0, h}},
      {{w, 0}, {w + 1, h}},
      // The block in the middle and cover around it.
      {{21, 13}, {27, 19}},
      {{8, 6}, {16, 8}},
      {{32, 24}, {40, 26}},
      {{8, 20}, {10, 27}},
      {{38, 5}, {40, 12}},
      {{4, 14}, {6, 18}},
      {{42, 14}, {44, 18}},
      {{30, 6}, {32, 8}},
      {{16, 24}, {18, 26}},
  };
  map.spawns = {{3, 3}, {45, 3}, {3, 29}, {45, 29}, {24, 5}, {24, 27}, {13, 16}, {35, 16}};
  return map;
}

}  // namespace

const arena_map& yard_map() {
  static const arena_map map = make_yard();
  return map;
}

double cast_ray(const arena_map& map, vec2 origin, vec2 dir, double max_t) {
  double nearest = max_t;
  for (const box& wall : map.walls) {
    if (auto t = ray_box(origin, dir, wall, nearest)) nearest = std::min(nearest, *t);
  }
  return nearest;
}

bool line_of_sight(const arena_map& map, vec2 a, vec2 b) {
  const double span = distance(a, b);
  if (span < 1e-9) return true;
  const vec2 dir = (b - a) * (1.0 / span);
  return cast_ray(map, a, dir, span) >= span;
}

bool is_free(const arena_map& map, vec2 centre, double radius) {
  if (centre.x < radius || centre.y < radius || centre.x > map.width - radius || centre.y > map.height - radius) {
    return false;
  }
  return std::none_of(map.walls.begin(), map.walls.end(),
                      [&](const box& wall) { return circle_box_overlap(centre, radius, wall).has_value(); });
}

}  // namespace guildhall::games::arena
