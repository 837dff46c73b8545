#pragma once
// How a body moves: the server's one movement rule, which is why a client cannot speed-hack or teleport. A client
// only says which directions are held; the speed it reaches, how fast it gets there, and where walls stop it are
// decided here. Pure and deterministic, so a client can run the same code to predict its own movement.
#include "games/arena/arena_map.hpp"

namespace guildhall::games::arena {

struct body {
  vec2 position;
  vec2 velocity;  // units/s
};

// A unit (or zero) vector from held direction buttons; diagonals are normalised, so they are not faster.
vec2 wish_direction(bool up, bool down, bool left, bool right);

// Advances `b` by dt seconds towards velocity wish * kMaxSpeed (|wish| <= 1), accelerating at most kAcceleration
// (kDeceleration with no wish), never faster than kMaxSpeed, sliding along walls and kept inside the playfield.
// The move is cut into steps shorter than the body's radius, so even a tick rate of 1 Hz cannot pass a wall.
body step_body(const arena_map& map, body b, vec2 wish, double dt);

}  // namespace guildhall::games::arena
