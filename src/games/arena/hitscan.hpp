#pragma once
// What a shot hits: a ray from the shooter along their aim, stopped by the first wall, hitting the nearest body
// before it. The room supplies the bodies already rewound (lag_history); this part is pure geometry.
#include <optional>
#include <span>

#include "games/arena/arena_map.hpp"

namespace guildhall::games::arena {

struct shot_target {
  int slot = -1;
  vec2 position;
};

struct shot_result {
  vec2 end;                 // where the tracer stops: the body hit, the wall, or the end of the range
  std::optional<int> victim;  // the slot hit, if any
};

// A shot from `origin` at `angle` radians, up to kShotRange, against `targets` (the shooter must not be among
// them).
shot_result trace_shot(const arena_map& map, vec2 origin, double angle, std::span<const shot_target> targets);

}  // namespace guildhall::games::arena
