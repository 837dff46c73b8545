#include "games/arena/motion.hpp"

#include <algorithm>
#include <cmath>

#include "games/arena/arena_rules.hpp"

namespace guildhall::games::arena {
namespace {

// No single step may move a body further than this, so it can never jump over a wall (walls are >= 1 unit thick).
constexpr double kMaxStep = kPlayerRadius / 2;
// Collisions are resolved this many times per step so that a body wedged in a corner settles against both walls.
constexpr int kResolvePasses = 3;

vec2 clamp_length(vec2 v, double max_length) {
  const double len = length(v);
  return len > max_length ? v * (max_length / len) : v;
}

// Pushes the body out of every wall it overlaps and removes the part of its velocity that points into them.
void resolve_walls(const arena_map& map, body& b) {
  for (int pass = 0; pass < kResolvePasses; ++pass) {
    bool moved = false;
    for (const box& wall : map.walls) {
      const auto overlap = circle_box_overlap(b.position, kPlayerRadius, wall);
      if (!overlap) continue;
      b.position = b.position + overlap->normal * overlap->depth;
      const double into = dot(b.velocity, overlap->normal);
      if (into < 0) b.velocity = b.velocity - overlap->normal * into;
      moved = true;
    }
    if (!moved) break;
  }
  b.position.x = std::clamp(b.position.x, kPlayerRadius, map.width - kPlayerRadius);
  b.position.y = std::clamp(b.position.y, kPlayerRadius, map.height - kPlayerRadius);
}

}  // namespace

vec2 wish_direction(bool up, bool down, bool left, bool right) {
  const vec2 raw{double(right) - double(left), double(up) - double(down)};
  const double len = length(raw);
  return len > 0 ? raw * (1.0 / len) : vec2{};
}

body step_body(const arena_map& map, body b, vec2 wish, double dt) {
  if (!(dt > 0)) return b;
  const vec2 target = clamp_length(wish, 1.0) * kMaxSpeed;
  const double rate = length(wish) > 0 ? kAcceleration : kDeceleration;
  b.velocity = clamp_length(b.velocity + clamp_length(target - b.velocity, rate * dt), kMaxSpeed);

  const vec2 travel = b.velocity * dt;
  const int steps = std::max(1, int(std::ceil(length(travel) / kMaxStep)));
  for (int i = 0; i < steps; ++i) {
    // Recomputed per step: a wall may have taken away part of the velocity.
    b.position = b.position + b.velocity * (dt / steps);
    resolve_walls(map, b);
  }
  return b;
}

}  // namespace guildhall::games::arena
