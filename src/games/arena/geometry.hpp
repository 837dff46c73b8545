#pragma once
// 2-D geometry the arena needs: vectors, axis-aligned boxes (walls), circles (bodies), and rays (shots and lines
// of sight). Pure functions on doubles; no state.
#include <cmath>
#include <optional>

namespace guildhall::games::arena {

struct vec2 {
  double x = 0, y = 0;

  friend vec2 operator+(vec2 a, vec2 b) { return {a.x + b.x, a.y + b.y}; }
  friend vec2 operator-(vec2 a, vec2 b) { return {a.x - b.x, a.y - b.y}; }
  friend vec2 operator*(vec2 a, double k) { return {a.x * k, a.y * k}; }
  friend bool operator==(vec2, vec2) = default;
};

inline double dot(vec2 a, vec2 b) { return a.x * b.x + a.y * b.y; }
inline double length(vec2 a) { return std::hypot(a.x, a.y); }
inline double distance(vec2 a, vec2 b) { return length(b - a); }
inline vec2 direction(double angle) { return {std::cos(angle), std::sin(angle)}; }

// An axis-aligned box: [min.x, max.x] x [min.y, max.y].
struct box {
  vec2 min, max;
};

// How far a circle overlapping a box must move to stop overlapping it, and in which direction (a unit normal).
struct push_out {
  vec2 normal;
  double depth = 0;
};

// The smallest move that takes a circle out of a box, or nullopt when they do not overlap. A centre inside the
// box leaves by the nearest face.
std::optional<push_out> circle_box_overlap(vec2 centre, double radius, const box& wall);

// Where a ray from `origin` along unit `dir` first enters the box, as a distance along the ray in [0, max_t];
// nullopt if it misses within max_t. An origin inside the box hits at 0.
std::optional<double> ray_box(vec2 origin, vec2 dir, const box& wall, double max_t);

// Where a ray from `origin` along unit `dir` first touches a circle, as a distance in [0, max_t]; nullopt if it
// misses. An origin inside the circle hits at 0.
std::optional<double> ray_circle(vec2 origin, vec2 dir, vec2 centre, double radius, double max_t);

}  // namespace guildhall::games::arena
