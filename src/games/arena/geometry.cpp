#include "games/arena/geometry.hpp"

#include <algorithm>
#include <limits>

namespace guildhall::games::arena {

std::optional<push_out> circle_box_overlap(vec2 centre, double radius, const box& wall) {
  const vec2 nearest{std::clamp(centre.x, wall.min.x, wall.max.x), std::clamp(centre.y, wall.min.y, wall.max.y)};
  const vec2 away = centre - nearest;
  const double gap = length(away);
  if (gap >= radius) return std::nullopt;
  if (gap > 1e-9) return push_out{away * (1.0 / gap), radius - gap};
  // The centre is inside the box: leave through the nearest face.
  const double left = centre.x - wall.min.x, right = wall.max.x - centre.x;
  const double down = centre.y - wall.min.y, up = wall.max.y - centre.y;
  const double nearest_face = std::min({left, right, down, up});
  if (nearest_face == left) return push_out{{-1, 0}, left + radius};
  if (nearest_face == right) return push_out{{1, 0}, right + radius};
  if (nearest_face == down) return push_out{{0, -1}, down + radius};
  return push_out{{0, 1}, up + radius};
}

std::optional<double> ray_box(vec2 origin, vec2 dir, const box& wall, double max_t) {
  // Slab method: intersect the ray's parameter interval with each axis's slab.
  double enter = 0, leave = max_t;
  const double o[2] = {origin.x, origin.y}, d[2] = {dir.x, dir.y};
  const double lo[2] = {wall.min.x, wall.min.y}, hi[2] = {wall.max.x, wall.max.y};
  for (int axis = 0; axis < 2; ++axis) {
    if (std::abs(d[axis]) < 1e-12) {
      if (o[axis] < lo[axis] || o[axis] > hi[axis]) return std::nullopt;
      continue;
    }
    double t1 = (lo[axis] - o[axis]) / d[axis], t2 = (hi[axis] - o[axis]) / d[axis];
    if (t1 > t2) std::swap(t1, t2);
    enter = std::max(enter, t1);
    leave = std::min(leave, t2);
    if (enter > leave) return std::nullopt;
  }
  return enter;
}

std::optional<double> ray_circle(vec2 origin, vec2 dir, vec2 centre, double radius, double max_t) {
  const vec2 to_centre = centre - origin;
  const double c = dot(to_centre, to_centre) - radius * radius;
  if (c <= 0) return 0.0;
  const double b = dot(to_centre, dir);
  if (b <= 0) return std::nullopt;  // the circle is behind the origin
  const double disc = b * b - c;
  if (disc < 0) return std::nullopt;
  const double t = b - std::sqrt(disc);
  if (t > max_t) return std::nullopt;
  return t;
}

}  // namespace guildhall::games::arena
