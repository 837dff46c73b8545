#include "games/arena/arena_bot.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "games/arena/arena_rules.hpp"

namespace guildhall::games::arena {
namespace {

constexpr double kFightNear = 5.0;          // units: back off when an enemy is closer than this
constexpr double kFightFar = 12.0;          // units: close in when it is further than this
constexpr double kFireReach = kShotRange * 0.9;
constexpr double kMaxAimError = 0.06;       // radians (about 3.4 degrees): hits often, not always
constexpr int kAimErrorMs = 400;            // how long one aim error lasts
constexpr int kStrafeMinMs = 600, kStrafeMaxMs = 1600;
constexpr int kWanderMs = 6000;             // give up on a wander goal after this long
constexpr double kGoalReached = 1.5;        // units
constexpr double kStallDistance = kMaxSpeed * 0.1;  // units per second of intended movement
constexpr int kStallMs = 300, kDetourMs = 700;
constexpr int kOpenSpotAttempts = 16;
// A direction component this large relative to the whole presses its button: 0.38 ~ sin(22.5 deg), so each of
// the eight button directions covers an equal 45-degree sector.
constexpr double kButtonThreshold = 0.38;

}  // namespace

std::uint8_t buttons_for(vec2 wish) {
  const double len = length(wish);
  if (len < 1e-9) return 0;
  std::uint8_t out = 0;
  if (wish.x > kButtonThreshold * len) out |= kRight;
  if (wish.x < -kButtonThreshold * len) out |= kLeft;
  if (wish.y > kButtonThreshold * len) out |= kUp;
  if (wish.y < -kButtonThreshold * len) out |= kDown;
  return out;
}

arena_bot::arena_bot(std::uint64_t seed, const arena_map& map) : map_(&map), random_(seed) {}

int arena_bot::ticks(const bot_view& view, int ms) const { return std::max(1, ms * std::max(1, view.tick_hz) / 1000); }

arena_input arena_bot::think(const bot_view& view) {
  arena_input out;
  if (!view.self.alive) {
    stalled_ = detour_left_ = wander_left_ = 0;
    last_position_ = view.self.position;
    return out;
  }
  const target enemy = pick_target(view);
  vec2 wish;
  if (enemy.body && enemy.in_sight) {
    wish = engage(view, *enemy.body, out);
  } else if (enemy.body) {
    wish = enemy.body->position - view.self.position;
  } else {
    wish = wander(view);
  }
  wish = unstick(view, wish);
  out.buttons |= buttons_for(wish);
  if (!(out.buttons & kFire) && length(wish) > 0) out.aim = quantize_aim(std::atan2(wish.y, wish.x));
  return out;
}

// The nearest living enemy in sight; failing that, the nearest living enemy within view behind cover.
arena_bot::target arena_bot::pick_target(const bot_view& view) const {
  target best, hidden;
  double best_distance = kViewRadius, hidden_distance = kViewRadius;
  for (const bot_body& other : view.others) {
    if (!other.alive || other.seat == view.self.seat) continue;
    const double d = distance(view.self.position, other.position);
    if (d >= std::max(best_distance, hidden_distance)) continue;
    if (line_of_sight(*map_, view.self.position, other.position)) {
      if (d < best_distance) best = {&other, true}, best_distance = d;
    } else if (d < hidden_distance) {
      hidden = {&other, false}, hidden_distance = d;
    }
  }
  return best.body ? best : hidden;
}

vec2 arena_bot::engage(const bot_view& view, const bot_body& enemy, arena_input& out) {
  const vec2 to_enemy = enemy.position - view.self.position;
  const double d = length(to_enemy);
  if (--aim_error_left_ <= 0) {
    aim_error_ = std::uniform_real_distribution<double>(-kMaxAimError, kMaxAimError)(random_);
    aim_error_left_ = ticks(view, kAimErrorMs);
  }
  out.aim = quantize_aim(std::atan2(to_enemy.y, to_enemy.x) + aim_error_);
  if (d <= kFireReach) out.buttons |= kFire;

  if (--strafe_left_ <= 0) {
    strafe_sign_ = std::bernoulli_distribution(0.5)(random_) ? 1 : -1;
    strafe_left_ = std::uniform_int_distribution<int>(ticks(view, kStrafeMinMs), ticks(view, kStrafeMaxMs))(random_);
  }
  const vec2 toward = d > 1e-9 ? to_enemy * (1.0 / d) : vec2{1, 0};
  const vec2 across{-toward.y * strafe_sign_, toward.x * strafe_sign_};
  const double radial = d > kFightFar ? 1.0 : (d < kFightNear ? -1.0 : 0.0);
  return toward * radial + across;
}

vec2 arena_bot::wander(const bot_view& view) {
  if (wander_left_ <= 0 || distance(view.self.position, wander_goal_) < kGoalReached) {
    wander_goal_ = random_open_spot();
    wander_left_ = ticks(view, kWanderMs);
  }
  --wander_left_;
  return wander_goal_ - view.self.position;
}

// Wanting to move and not moving means a wall is in the way: walk off in a random direction for a while.
vec2 arena_bot::unstick(const bot_view& view, vec2 wish) {
  const double moved = distance(view.self.position, last_position_);
  last_position_ = view.self.position;
  if (detour_left_ > 0) {
    --detour_left_;
    return detour_;
  }
  const double expected = kStallDistance / std::max(1, view.tick_hz);
  stalled_ = (length(wish) > 0 && moved < expected) ? stalled_ + 1 : 0;
  if (stalled_ < ticks(view, kStallMs)) return wish;
  stalled_ = 0;
  detour_ = direction(std::uniform_real_distribution<double>(0, 2 * std::numbers::pi)(random_));
  detour_left_ = ticks(view, kDetourMs);
  wander_left_ = 0;  // and pick a new goal afterwards
  return detour_;
}

vec2 arena_bot::random_open_spot() {
  std::uniform_real_distribution<double> across(kPlayerRadius, map_->width - kPlayerRadius);
  std::uniform_real_distribution<double> up(kPlayerRadius, map_->height - kPlayerRadius);
  for (int attempt = 0; attempt < kOpenSpotAttempts; ++attempt) {
    const vec2 spot{across(random_), up(random_)};
    if (is_free(*map_, spot, kPlayerRadius)) return spot;
  }
  return map_->spawns[std::uniform_int_distribution<std::size_t>(0, map_->spawns.size() - 1)(random_)];
}

}  // namespace guildhall::games::arena
