#include "games/arena/hitscan.hpp"

#include "games/arena/arena_rules.hpp"

namespace guildhall::games::arena {

shot_result trace_shot(const arena_map& map, vec2 origin, double angle, std::span<const shot_target> targets) {
  const vec2 dir = direction(angle);
  double reach = cast_ray(map, origin, dir, kShotRange);
  shot_result result;
  for (const shot_target& target : targets) {
    const auto t = ray_circle(origin, dir, target.position, kHitRadius, reach);
    if (!t) continue;
    reach = *t;
    result.victim = target.slot;
  }
  result.end = origin + dir * reach;
  return result;
}

}  // namespace guildhall::games::arena
