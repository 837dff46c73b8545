#pragma once
// What a bot is asked, and the interface of what answers for one game. A bot is a player like any other: a
// brain only proposes (a move, an answer to a draw offer); the turn service plays it through the same checks
// as a person's.
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace guildhall::services {

struct bot_job {
  std::string game;
  int seat = 0;                          // the bot's seat (chess: 0 white, 1 black)
  std::string view;                      // the game's view for the bot's seat (chess: FEN)
  std::vector<std::string> legal_moves;  // canonical; empty when the bot is not to move
  std::uint32_t skill_level = 0;         // 0..20
  std::uint32_t move_time_ms = 0;
  std::uint64_t seed = 0;                // varies per move so equal positions need not repeat
};

enum class draw_answer { accept, decline };

// How a bot thinks in one game. One per bot thread and game: it may keep state (a running engine).
class bot_brain {
 public:
  virtual ~bot_brain() = default;
  // A move for the bot to move in `job`.
  virtual result<std::string> choose_move(const bot_job& job) = 0;
  // The opponent offers a draw in `job`'s position (whoever is to move). A game without an opinion declines.
  virtual draw_answer answer_draw_offer(const bot_job& /*job*/) { return draw_answer::decline; }
};

}  // namespace guildhall::services
