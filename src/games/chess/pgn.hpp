#pragma once
// Portable Game Notation export: a finished (or running) game as the text every chess program reads. Pure:
// the caller supplies the date, names and result; nothing here reads a clock.
#include <expected>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <guildhall/turn_game.hpp>

namespace guildhall::games::chess {

class chess_state;

// PGN limits tag values to 255 characters; longer ones are refused rather than cut.
constexpr std::size_t kMaxPgnTagBytes = 255;

struct pgn_game {
  // The Seven Tag Roster, with PGN's "unknown" defaults ("-" for Round: online games have none).
  std::string event = "?";
  std::string site = "?";
  std::string date = "????.??.??";  // YYYY.MM.DD
  std::string round = "-";
  std::string white = "?";
  std::string black = "?";
  std::string result = "*";  // "1-0", "0-1", "1/2-1/2" or "*" (unfinished); repeated after the moves
  std::string start_fen;     // empty for the standard start; otherwise written as SetUp "1" and FEN
  std::string time_control;  // PGN's "<seconds>+<increment seconds>" or "-" (see pgn_time_control); written when not empty
  std::string termination;   // how it ended, e.g. "alice won by resignation"; written when not empty
  std::vector<std::string> san_moves;
};

// The PGN text: tags, a blank line, numbered moves wrapped under 80 columns, the result, a final newline.
// Refuses an unknown result, an invalid start FEN, an over-long tag, or a move that is not a single token.
// Quotes and backslashes in tag values are escaped; control characters become spaces.
std::expected<std::string, refusal> write_pgn(const pgn_game& game);

// The TimeControl tag's value: "300+3" for 5 minutes plus 3 seconds a move, "-" for no clock. Milliseconds that
// are not whole seconds are written with a decimal point ("0.5+0").
std::string pgn_time_control(std::int64_t initial_ms, std::int64_t increment_ms);

// "1-0" when seat 0 (white) won, "0-1" when seat 1 did, "1/2-1/2" for a draw, "*" while the game goes on.
std::string pgn_result(const std::optional<game_outcome>& outcome);

// The moves, start position and (rules-decided) result of `state`; the caller fills in names and the rest.
pgn_game pgn_of(const chess_state& state);

}  // namespace guildhall::games::chess
