#pragma once
// A bot's brain: what a headless player decides to press, given what it can see. Pure and deterministic for a
// seed: no clock, no room internals, no I/O. It sees only what a client decodes from its snapshots (positions,
// health, alive), so the same brain drives server-side bots inside a room (option `bots`) and headless bot
// clients in the benchmark and the integration tests.
//
// Behaviour: with an enemy in sight it aims at it with a little error, fires, keeps a fighting distance and
// strafes; with an enemy near but behind a wall it heads for it; otherwise it wanders between random open spots.
// It notices when it is stuck against a wall and walks off in a random direction for a moment.
#include <cstdint>
#include <random>
#include <span>

#include "games/arena/arena_input.hpp"
#include "games/arena/arena_map.hpp"

namespace guildhall::games::arena {

// One body as a client sees it.
struct bot_body {
  int seat = -1;
  vec2 position;
  int health = 0;
  bool alive = false;
};

// Everything the brain is told, once per tick (or per input a client sends).
struct bot_view {
  bot_body self;
  std::span<const bot_body> others;  // the other players the client knows of; may be a subset
  int tick_hz = 30;                  // how often think() is called, to turn its timers into calls
};

class arena_bot {
 public:
  explicit arena_bot(std::uint64_t seed, const arena_map& map = yard_map());

  arena_input think(const bot_view& view);

 private:
  struct target {
    const bot_body* body = nullptr;
    bool in_sight = false;
  };
  target pick_target(const bot_view& view) const;
  vec2 engage(const bot_view& view, const bot_body& enemy, arena_input& out);
  vec2 wander(const bot_view& view);
  vec2 unstick(const bot_view& view, vec2 wish);
  vec2 random_open_spot();
  int ticks(const bot_view& view, int ms) const;

  const arena_map* map_;
  std::mt19937_64 random_;
  vec2 wander_goal_;
  int wander_left_ = 0;     // calls until a new goal is picked
  int strafe_sign_ = 1;
  int strafe_left_ = 0;
  double aim_error_ = 0;    // radians, redrawn now and then
  int aim_error_left_ = 0;
  vec2 last_position_;
  int stalled_ = 0;         // calls in a row that wanted to move and barely did
  vec2 detour_;
  int detour_left_ = 0;
};

// The buttons that best approximate moving along `wish` (any length; zero: none).
std::uint8_t buttons_for(vec2 wish);

}  // namespace guildhall::games::arena
