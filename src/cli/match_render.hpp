#pragma once
// The play command's match screen as lines of text: a title, then the board beside a column with both players
// and their clocks, whose turn it is, a standing draw offer, the result, the last move and the move list. Pure
// functions of a match_state and the time (tests/unit/match_render_test.cpp); terminal_screen draws them.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli/match_requests.hpp"
#include "cli/match_state.hpp"

namespace guildhall::cli {

struct match_render_options {
  bool unicode = false;   // chess symbols instead of letters
  std::size_t max_rows = 0;  // the screen's rows for the frame: the move list shrinks to its latest rows to fit
                             // (never below two); 0 for no limit
};

std::vector<std::string> render_match(const match_state& state, std::int64_t now_ms,
                                      const match_render_options& options);

// "5:00", "0:07", "1:02:03": whole seconds rounded up, so 0:00 means the time is up.
std::string format_clock(std::int64_t ms);
// "5+3" (minutes + seconds added per move), "0.5+0", or "no clock".
std::string format_time_control(const time_control& clock);
// How a seat is called in its game: white/black, X/O, else "seat N".
std::string seat_label(std::string_view game, int seat);
// The player in `seat`: their name, "you", or who may still take the free seat.
std::string player_name(const match_state& state, int seat);
// "alice (X) wins - three in a row", "draw - agreement", "aborted - cancelled"; empty while the match goes on.
std::string describe_result(const match_state& state);
// A move as the move list and "last move" show it: "1. e4", "1... e5", "X 4".
std::string move_label(std::string_view game, const std::vector<client::move_record>& moves, std::size_t index);
// The move list, one row per full move: " 1. e4       e5".
std::vector<std::string> move_list_rows(std::string_view game, const std::vector<client::move_record>& moves);

}  // namespace guildhall::cli
