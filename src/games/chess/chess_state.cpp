#include "games/chess/chess_state.hpp"

#include "games/chess/fen.hpp"
#include "games/chess/movegen.hpp"
#include "games/chess/notation.hpp"
#include "games/chess/rules.hpp"
#include "games/chess/san.hpp"
#include "games/chess/uci.hpp"

namespace guildhall::games::chess {
namespace {

constexpr std::string_view kVersionLine = "guildhall-chess 1";
constexpr std::string_view kFenPrefix = "fen ";
constexpr std::string_view kMovesPrefix = "moves";

game_outcome draw(std::string_view reason) { return {std::nullopt, std::string(reason)}; }

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t end = text.find(separator);
    parts.push_back(text.substr(0, end));
    if (end == std::string_view::npos) return parts;
    text.remove_prefix(end + 1);
  }
}

}  // namespace

chess_state::chess_state(const position& start) : start_(start), current_(start) {
  repetitions_.record(start);
  outcome_ = judge();
}

std::expected<chess_state, refusal> chess_state::start_from(const position& start) {
  chess_state state(start);
  if (state.outcome_) {
    return std::unexpected("the game would be over before it starts (" + state.outcome_->reason + ")");
  }
  return state;
}

// Order matters when several apply at once: a mate delivered on the hundredth half-move is still a mate.
std::optional<game_outcome> chess_state::judge() const {
  switch (status_of(current_)) {
    case position_status::checkmate:
      return game_outcome{seat_of(opposite(current_.side_to_move())), std::string(kCheckmate)};
    case position_status::stalemate: return draw(kStalemate);
    case position_status::ongoing: break;
  }
  if (insufficient_material(current_)) return draw(kInsufficientMaterial);
  if (repetitions_.occurrences_of_latest() >= 3) return draw(kThreefoldRepetition);
  if (current_.halfmove_clock() >= kFiftyMoveHalfmoves) return draw(kFiftyMoveRule);
  return std::nullopt;
}

accepted_move chess_state::play_legal(const move& m) {
  accepted_move accepted{to_uci(m), to_san(current_, m)};
  current_.make(m);
  moves_.push_back(m);
  san_moves_.push_back(accepted.display);
  repetitions_.record(current_);
  outcome_ = judge();
  return accepted;
}

std::expected<accepted_move, refusal> chess_state::apply(std::string_view move_text) {
  if (outcome_) return std::unexpected("the game is over (" + outcome_->reason + ")");
  const auto m = parse_move(current_, move_text);
  if (!m) return std::unexpected(m.error());
  return play_legal(*m);
}

std::expected<accepted_move, refusal> chess_state::play(const move& m) {
  if (outcome_) return std::unexpected("the game is over (" + outcome_->reason + ")");
  for (const move& legal : chess::legal_moves(current_)) {
    if (legal.same_as(m)) return play_legal(legal);
  }
  return std::unexpected(to_uci(m) + " is not a legal move");
}

std::string chess_state::view_for(seat) const { return to_fen(current_); }

std::vector<std::string> chess_state::legal_moves() const {
  std::vector<std::string> result;
  if (outcome_) return result;
  for (const move& m : chess::legal_moves(current_)) result.push_back(to_uci(m));
  return result;
}

bool chess_state::can_win(seat who) const {
  if (who != 0 && who != 1) return false;
  return can_mate(current_, who == 0 ? color::white : color::black);
}

std::string chess_state::serialize() const {
  std::string text(kVersionLine);
  text += '\n';
  text += kFenPrefix;
  text += to_fen(start_);
  text += '\n';
  text += kMovesPrefix;
  for (const move& m : moves_) text += ' ' + to_uci(m);
  return text;
}

std::expected<chess_state, refusal> chess_state::deserialize(std::string_view text) {
  if (text.size() > kMaxSerializedBytes) return std::unexpected(refusal("stored chess state is too long"));
  const auto lines = split(text, '\n');
  if (lines.size() != 3 || lines[0] != kVersionLine) {
    return std::unexpected(refusal("not a stored chess state (or one of an unknown version)"));
  }
  if (!lines[1].starts_with(kFenPrefix) || !lines[2].starts_with(kMovesPrefix)) {
    return std::unexpected(refusal("stored chess state lacks its 'fen' or 'moves' line"));
  }
  const auto start = parse_fen(lines[1].substr(kFenPrefix.size()));
  if (!start) return std::unexpected("stored start position is invalid: " + start.error());
  auto state = start_from(*start);
  if (!state) return std::unexpected("stored start position is invalid: " + state.error());
  std::string_view moves_text = lines[2].substr(kMovesPrefix.size());
  if (moves_text.empty()) return state;
  if (moves_text.front() != ' ') return std::unexpected(refusal("stored moves must follow 'moves '"));
  int number = 0;
  for (std::string_view token : split(moves_text.substr(1), ' ')) {
    ++number;
    const std::string where = "stored move " + std::to_string(number);
    if (state->outcome_) return std::unexpected(where + " comes after the end of the game");
    const auto m = parse_uci(state->current_, token);
    if (!m) return std::unexpected(where + ": " + m.error());
    state->play_legal(*m);
  }
  return state;
}

}  // namespace guildhall::games::chess
