#include "games/chess/pgn.hpp"

#include "games/chess/chess_state.hpp"
#include "games/chess/fen.hpp"

namespace guildhall::games::chess {
namespace {

constexpr std::size_t kMaxLineBytes = 79;  // PGN export format keeps lines under 80 columns

std::expected<std::string, refusal> tag(std::string_view name, std::string_view value) {
  if (value.size() > kMaxPgnTagBytes) {
    return std::unexpected("the " + std::string(name) + " tag is longer than " + std::to_string(kMaxPgnTagBytes) +
                           " bytes");
  }
  std::string line = "[" + std::string(name) + " \"";
  for (char ch : value) {
    if (ch == '"' || ch == '\\') line += '\\';
    line += static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f ? ' ' : ch;
  }
  return line + "\"]\n";
}

bool is_result(std::string_view result) {
  return result == "1-0" || result == "0-1" || result == "1/2-1/2" || result == "*";
}

// A SAN token must not break the movetext apart: no spaces, comments, variations or control characters.
bool is_single_token(std::string_view san) {
  if (san.empty()) return false;
  for (char ch : san) {
    const bool control_or_space = static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f;
    if (control_or_space || std::string_view("{}();[]%\"").find(ch) != std::string_view::npos) return false;
  }
  return true;
}

std::expected<std::string, refusal> write_tags(const pgn_game& game) {
  std::vector<std::pair<std::string_view, std::string_view>> tags{
      {"Event", game.event}, {"Site", game.site},   {"Date", game.date},    {"Round", game.round},
      {"White", game.white}, {"Black", game.black}, {"Result", game.result}};
  if (!game.start_fen.empty()) {
    tags.emplace_back("SetUp", "1");
    tags.emplace_back("FEN", game.start_fen);
  }
  if (!game.time_control.empty()) tags.emplace_back("TimeControl", game.time_control);
  if (!game.termination.empty()) tags.emplace_back("Termination", game.termination);
  std::string text;
  for (const auto& [name, value] : tags) {
    const auto line = tag(name, value);
    if (!line) return std::unexpected(line.error());
    text += *line;
  }
  return text;
}

// Appends `unit` to the movetext, starting a new line rather than crossing the width.
void append_wrapped(std::string& text, std::size_t& line_bytes, const std::string& unit) {
  if (line_bytes > 0 && line_bytes + 1 + unit.size() > kMaxLineBytes) {
    text += '\n';
    line_bytes = 0;
  } else if (line_bytes > 0) {
    text += ' ';
    ++line_bytes;
  }
  text += unit;
  line_bytes += unit.size();
}

}  // namespace

std::expected<std::string, refusal> write_pgn(const pgn_game& game) {
  if (!is_result(game.result)) return std::unexpected(refusal("the result must be 1-0, 0-1, 1/2-1/2 or *"));
  int number = 1;
  bool white_to_move = true;
  if (!game.start_fen.empty()) {
    const auto start = parse_fen(game.start_fen);
    if (!start) return std::unexpected("the start FEN is invalid: " + start.error());
    number = start->fullmove_number();
    white_to_move = start->side_to_move() == color::white;
  }
  auto text = write_tags(game);
  if (!text) return text;
  *text += '\n';
  std::size_t line_bytes = 0;
  for (std::size_t i = 0; i < game.san_moves.size(); ++i) {
    const std::string& san = game.san_moves[i];
    if (!is_single_token(san)) return std::unexpected("move " + std::to_string(i + 1) + " is not a SAN move");
    std::string unit = san;
    if (white_to_move) unit = std::to_string(number) + ". " + san;
    if (!white_to_move && i == 0) unit = std::to_string(number) + "... " + san;
    append_wrapped(*text, line_bytes, unit);
    if (!white_to_move) ++number;
    white_to_move = !white_to_move;
  }
  append_wrapped(*text, line_bytes, game.result);
  *text += '\n';
  return text;
}

std::string pgn_time_control(std::int64_t initial_ms, std::int64_t increment_ms) {
  if (initial_ms <= 0) return "-";
  auto seconds = [](std::int64_t ms) {
    std::string text = std::to_string(ms / 1000);
    if (ms % 1000 == 0) return text;
    std::string fraction = std::to_string(1000 + ms % 1000).substr(1);  // three digits, leading zeros kept
    fraction.erase(fraction.find_last_not_of('0') + 1);
    return text + "." + fraction;
  };
  return seconds(initial_ms) + "+" + seconds(increment_ms);
}

std::string pgn_result(const std::optional<game_outcome>& outcome) {
  if (!outcome) return "*";
  if (!outcome->winner) return "1/2-1/2";
  return *outcome->winner == 0 ? "1-0" : "0-1";
}

pgn_game pgn_of(const chess_state& state) {
  pgn_game game;
  const std::string start = to_fen(state.start());
  if (start != kStartFen) game.start_fen = start;
  game.san_moves = state.san_moves();
  game.result = pgn_result(state.outcome());
  return game;
}

}  // namespace guildhall::games::chess
