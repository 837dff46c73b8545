#pragma once
// The arena's map: a rectangle of open ground with walls (axis-aligned boxes) and spawn points, fixed in code.
// Bodies collide with walls, shots stop at them and bots use them for lines of sight; clients may link this file
// to draw the same walls and to predict the same collisions.
#include <string_view>
#include <vector>

#include "games/arena/geometry.hpp"

namespace guildhall::games::arena {

struct arena_map {
  std::string_view name;
  double width = 0, height = 0;  // the playfield is [0, width] x [0, height]
  std::vector<box> walls;        // including four just outside the playfield, so rays stop at its edge
  std::vector<vec2> spawns;      // each at least a body's radius away from every wall
};

// "yard": 48 x 32 units, a block in the middle, cover around it and eight spawn points near the edges.
const arena_map& yard_map();

// Distance along unit `dir` from `origin` to the first wall, or max_t if no wall is nearer.
double cast_ray(const arena_map& map, vec2 origin, vec2 dir, double max_t);

// True if the segment from a to b crosses no wall.
bool line_of_sight(const arena_map& map, vec2 a, vec2 b);

// True if a circle of `radius` at `centre` overlaps no wall and lies inside the playfield.
bool is_free(const arena_map& map, vec2 centre, double radius);

}  // namespace guildhall::games::arena
