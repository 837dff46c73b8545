#include "cli/match_render.hpp"

#include <algorithm>
#include <cstdio>

#include "cli/board_render.hpp"
#include "cli/text_width.hpp"

namespace guildhall::cli {
namespace {

constexpr std::size_t kGutter = 3;         // spaces between the board and the column beside it
constexpr std::size_t kNameColumns = 26;   // a player's name (and "(you)") before their clock
constexpr std::size_t kMoveColumns = 11;   // one move in the move list
constexpr std::size_t kMinMoveRows = 2;    // the latest moves show even on a tiny screen
constexpr std::size_t kTitleRows = 2;      // the title and a blank line

// Two-seat games: the viewer sits at the bottom (a spectator sees seat 0 there), the opponent at the top.
int bottom_seat(const match_state& state) { return std::max(state.your_seat(), 0); }

result<std::vector<std::string>> board_lines(const match_state& state, bool unicode) {
  const std::string last = state.moves().empty() ? std::string() : state.moves().back().move;
  if (state.game() == "chess") {
    return render_chess_board(state.view(), {.flipped = bottom_seat(state) == 1, .unicode = unicode, .last_move = last});
  }
  if (state.game() == "tictactoe") return render_tictactoe_board(state.view(), last);
  return std::vector<std::string>{" " + state.view()};  // a game this client does not know: its view as text
}

std::string player_line(const match_state& state, int seat, std::int64_t now_ms) {
  const bool to_move = state.active() && state.info().to_move == seat;
  std::string line = to_move ? "> " : "  ";
  line += pad_to_width(seat_label(state.game(), seat), 6) + " ";
  line += pad_to_width(player_name(state, seat), kNameColumns);
  if (const auto left = state.clock_ms(seat, now_ms)) line += " " + format_clock(*left);
  return line;
}

std::vector<std::string> status_lines(const match_state& state) {
  std::vector<std::string> lines;
  const auto& info = state.info();
  if (state.open()) {
    const int free_seat = 1 - bottom_seat(state);
    const bool invited = free_seat >= 0 && static_cast<std::size_t>(free_seat) < info.players.size() &&
                         !info.players[static_cast<std::size_t>(free_seat)].invited.empty();
    lines.push_back(invited ? "waiting for " + player_name(state, free_seat) + " to join" : "waiting for an opponent to join");
  } else if (state.over()) {
    lines.push_back("game over: " + describe_result(state));
    const int winner = info.winner;
    if (!state.spectating() && info.state == client::match_info::status::finished && winner >= 0) {
      lines.push_back(winner == state.your_seat() ? "you win!" : "you lose");
    }
  } else if (state.my_turn()) {
    lines.push_back("your move");
  } else if (state.spectating()) {
    lines.push_back(seat_label(state.game(), info.to_move) + " to move");
  } else {
    lines.push_back("waiting for " + player_name(state, info.to_move) + " to move");
  }
  if (const int offered = state.draw_offered_by(); offered >= 0) {
    if (offered == state.your_seat()) lines.push_back("you offered a draw");
    else if (state.spectating()) lines.push_back(player_name(state, offered) + " offers a draw");
    else lines.push_back(player_name(state, offered) + " offers a draw: /draw or /decline");
  }
  if (!state.moves().empty()) {
    lines.push_back("last move: " + move_label(state.game(), state.moves(), state.moves().size() - 1));
  }
  return lines;
}

// The players, the status and the move list, cut to its latest rows so the frame fits in `max_rows`.
std::vector<std::string> side_column(const match_state& state, std::int64_t now_ms, std::size_t max_rows) {
  const int bottom = bottom_seat(state);
  std::vector<std::string> lines;
  const int seats = static_cast<int>(state.info().players.size());
  if (seats == 2) {
    lines.push_back(player_line(state, 1 - bottom, now_ms));
    lines.push_back(player_line(state, bottom, now_ms));
  } else {
    for (int seat = 0; seat < seats; ++seat) lines.push_back(player_line(state, seat, now_ms));
  }
  lines.emplace_back();
  for (auto& line : status_lines(state)) lines.push_back(std::move(line));
  auto rows = move_list_rows(state.game(), state.moves());
  if (!rows.empty()) {
    lines.emplace_back();
    const std::size_t room = max_rows > lines.size() + kMinMoveRows ? max_rows - lines.size() : kMinMoveRows;
    const std::size_t shown = max_rows == 0 ? rows.size() : std::min(rows.size(), room);
    const std::size_t first = rows.size() - shown;
    for (std::size_t row = first; row < rows.size(); ++row) lines.push_back(std::move(rows[row]));
  }
  return lines;
}

// A move's text inside the move list, without its number: the game's own display text ("Nf3", "X centre"), or
// the canonical move after the seat's label when a game gives none.
std::string move_text(std::string_view game, const client::move_record& move) {
  if (!move.display.empty()) return move.display;
  if (game == "chess") return move.move;
  return seat_label(game, move.seat) + " " + move.move;
}

// The move-list row (from 1) a move falls in: a row starts with the first move and with each move of seat 0.
std::size_t row_of(const std::vector<client::move_record>& moves, std::size_t index) {
  std::size_t row = 0;
  for (std::size_t i = 0; i <= index && i < moves.size(); ++i) {
    if (i == 0 || moves[i].seat == 0) ++row;
  }
  return row;
}

}  // namespace

std::string format_clock(std::int64_t ms) {
  const std::int64_t seconds = (std::max<std::int64_t>(ms, 0) + 999) / 1000;
  char text[32];
  if (seconds >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
  }
  return text;
}

std::string format_time_control(const time_control& clock) {
  if (clock.initial_ms == 0) return "no clock";
  char minutes[32];
  std::snprintf(minutes, sizeof minutes, "%g", clock.initial_ms / 60000.0);
  return std::string(minutes) + "+" + std::to_string(clock.increment_ms / 1000);
}

std::string seat_label(std::string_view game, int seat) {
  if (game == "chess" && (seat == 0 || seat == 1)) return seat == 0 ? "white" : "black";
  if (game == "tictactoe" && (seat == 0 || seat == 1)) return seat == 0 ? "X" : "O";
  return "seat " + std::to_string(seat);
}

std::string player_name(const match_state& state, int seat) {
  const auto& players = state.info().players;
  if (seat < 0 || static_cast<std::size_t>(seat) >= players.size()) return "?";
  const auto& player = players[static_cast<std::size_t>(seat)];
  if (player.user_id == 0) {
    if (player.invited.empty()) return "(open seat)";
    std::string names;
    for (const auto& name : player.invited) names += (names.empty() ? "" : ", ") + name;
    return names + " (invited)";
  }
  std::string name = player.username;
  if (seat == state.your_seat()) name += " (you)";
  if (player.bot) name += " (bot)";
  if (state.info().rated && player.rating > 0) name += " " + std::to_string(player.rating);
  return name;
}

std::string describe_result(const match_state& state) {
  if (!state.over()) return {};
  const auto& info = state.info();
  const std::string& reason = info.result_reason;
  const std::string why = reason.empty() ? std::string() : " - " + reason;
  if (info.state == client::match_info::status::aborted) return "aborted" + why;
  const int winner = info.winner;
  if (winner < 0 || static_cast<std::size_t>(winner) >= info.players.size()) return "draw" + why;
  return info.players[static_cast<std::size_t>(winner)].username + " (" + seat_label(state.game(), winner) + ") wins" +
         why;
}

std::string move_label(std::string_view game, const std::vector<client::move_record>& moves, std::size_t index) {
  if (index >= moves.size()) return {};
  const auto& move = moves[index];
  if (game != "chess") return move_text(game, move);
  const std::string number = std::to_string(row_of(moves, index));
  return number + (move.seat == 0 ? ". " : "... ") + move_text(game, move);
}

std::vector<std::string> move_list_rows(std::string_view game, const std::vector<client::move_record>& moves) {
  std::vector<std::string> rows;
  for (std::size_t i = 0; i < moves.size(); ++i) {
    const bool starts_row = i == 0 || moves[i].seat == 0;
    if (starts_row) {
      char number[16];
      std::snprintf(number, sizeof number, "%3zu. ", rows.size() + 1);
      rows.emplace_back(number);
      // A game that starts with the second seat to move (a chess position with black to move) leaves a gap.
      if (moves[i].seat != 0) rows.back() += pad_to_width("...", kMoveColumns);
    }
    rows.back() += pad_to_width(move_text(game, moves[i]), kMoveColumns);
  }
  for (auto& row : rows) row.erase(row.find_last_not_of(' ') + 1);
  return rows;
}

std::vector<std::string> render_match(const match_state& state, std::int64_t now_ms,
                                      const match_render_options& options) {
  const auto& info = state.info();
  std::string title = info.game + "  match " + std::to_string(info.match_id) + "  " +
                      format_time_control(time_control_of(info)) + (info.rated ? "  rated" : "  casual");
  if (state.spectating()) title += "  (watching)";
  std::vector<std::string> lines{title, ""};

  auto drawn = board_lines(state, options.unicode);
  const std::vector<std::string> board = drawn ? std::move(*drawn) : std::vector<std::string>{"(" + drawn.error().message + ")"};
  std::size_t board_width = 0;
  for (const auto& line : board) board_width = std::max(board_width, display_width(line));

  const std::size_t side_rows = options.max_rows > kTitleRows ? options.max_rows - kTitleRows : 0;
  const auto side = side_column(state, now_ms, options.max_rows == 0 ? 0 : std::max<std::size_t>(side_rows, 1));
  for (std::size_t row = 0; row < std::max(board.size(), side.size()); ++row) {
    std::string line = pad_to_width(row < board.size() ? board[row] : std::string(), board_width + kGutter);
    if (row < side.size()) line += side[row];
    line.erase(line.find_last_not_of(' ') + 1);
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace guildhall::cli
