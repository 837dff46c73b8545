#pragma once
// One chess match as the turn engine sees it: the start position, the moves played, and what the rules say
// about them (checkmate, stalemate, threefold repetition, the fifty-move rule, insufficient material).
//
// Draws the rules allow a player to claim (threefold repetition, fifty moves) are declared automatically: the
// engine has no claim flow, and a game nobody can claim would otherwise never end. (FIDE makes only fivefold
// repetition and the seventy-five-move rule automatic.)
//
// Thread-safety: like every game_state, used by one thread at a time.
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <guildhall/turn_game.hpp>

#include "games/chess/position.hpp"
#include "games/chess/repetition.hpp"

namespace guildhall::games::chess {

// Seat 0 plays white, seat 1 black, whichever side the start position has to move.
constexpr seat seat_of(color c) { return c == color::white ? 0 : 1; }

// game_outcome::reason values.
inline constexpr std::string_view kCheckmate = "checkmate";
inline constexpr std::string_view kStalemate = "stalemate";
inline constexpr std::string_view kThreefoldRepetition = "threefold repetition";
inline constexpr std::string_view kFiftyMoveRule = "fifty-move rule";
inline constexpr std::string_view kInsufficientMaterial = "insufficient material";

// Longer stored text is refused unread. The fifty-move rule bounds a game to under 13,000 half-moves, each at
// most 6 bytes of UCI and a space.
constexpr std::size_t kMaxSerializedBytes = 128 * 1024;

class chess_state final : public game_state {
 public:
  // A match from `start`; refused when the rules have already ended the game there (mate, stalemate, dead
  // material, a halfmove clock of 100 or more), since nobody could make a move.
  static std::expected<chess_state, refusal> start_from(const position& start);

  // Rebuilds a state from serialize(): the start FEN and the UCI moves, replayed through the rules. Refuses
  // corrupt text with the reason.
  static std::expected<chess_state, refusal> deserialize(std::string_view text);

  seat to_move() const override { return seat_of(current_.side_to_move()); }
  // Accepts UCI or SAN; canonical is UCI, display SAN.
  std::expected<accepted_move, refusal> apply(std::string_view move_text) override;
  std::optional<game_outcome> outcome() const override { return outcome_; }
  // The FEN of the current position: chess hides nothing, so every viewer sees the same.
  std::string view_for(seat viewer) const override;
  std::vector<std::string> legal_moves() const override;
  // See can_mate() in rules.hpp for what counts.
  bool can_win(seat who) const override;
  // Three lines: "guildhall-chess 1", "fen <start FEN>", "moves <UCI moves separated by spaces>".
  std::string serialize() const override;

  // Plays a move already resolved against current() (the bot's choice); refused, like apply(), when the game
  // is over or the move is not legal here.
  std::expected<accepted_move, refusal> play(const move& m);

  const position& start() const { return start_; }
  const position& current() const { return current_; }
  const std::vector<move>& moves() const { return moves_; }
  // The moves in SAN, for move lists and PGN.
  const std::vector<std::string>& san_moves() const { return san_moves_; }

 private:
  explicit chess_state(const position& start);
  std::optional<game_outcome> judge() const;
  accepted_move play_legal(const move& m);

  position start_;
  position current_;
  std::vector<move> moves_;
  std::vector<std::string> san_moves_;
  repetition_history repetitions_;
  std::optional<game_outcome> outcome_;
};

}  // namespace guildhall::games::chess
