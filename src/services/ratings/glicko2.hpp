#pragma once
// Glicko-2 ratings, as in Mark Glickman's "Example of the Glicko-2 system" (glicko.net/glicko/glicko2.pdf),
// steps 1 to 8. Pure functions on doubles: no I/O, no clock, callable from any thread.
//
// Guildhall treats each rated game as its own rating period: when a match ends, each player is updated with that
// one game, against the opponent's rating from before it (so the order of the two updates does not matter).
// Glickman recommends periods of 10-15 games, but a period needs a boundary, and waiting for one means players
// finish a game without seeing what it did to their rating, and the server needs a scheduled batch job over every
// player. Updating per game (as lichess does) shows the change at once and keeps rating a local operation on two
// rows. The cost: the volatility is estimated from how surprising a period's results were, and one game is a thin
// sample, so it moves in small, noisy steps (tau bounds them).
//
// A period without games only widens the deviation (step 6), and per-game periods never have one. A caller that
// wants time away to make a rating less certain calls glicko2_update with no games per idle period, capping the
// deviation at 350 as Glicko does.
#include <span>

namespace guildhall::services {

struct glicko2_rating {
  double rating = 1500;      // Glicko scale: 1500 is the starting player
  double deviation = 350;    // RD, one standard deviation of the rating; 350 is "unknown"
  double volatility = 0.06;  // sigma, the expected fluctuation of the rating
};

struct glicko2_game {
  glicko2_rating opponent;  // as it was before the game
  double score;             // 1 win, 0.5 draw, 0 loss
};

// The player's rating after one rating period in which they played `games`. `tau` (> 0; Glickman suggests 0.3 to
// 1.2) bounds how fast the volatility may change; smaller values keep improbable results from moving ratings much.
glicko2_rating glicko2_update(const glicko2_rating& player, std::span<const glicko2_game> games, double tau = 0.5);

}  // namespace guildhall::services
