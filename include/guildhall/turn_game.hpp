#pragma once
// The public API for writing a turn-based game for Guildhall. A game module is pure rules: it never sees a
// socket, a clock, a database or a thread. The server's turn engine (src/services/turns) does everything else:
// seats, strict turn order, clocks, resign/draw/abort, durability, pushing moves to players and spectators,
// notifications and ratings. docs/writing-a-turn-based-game.md walks through src/games/tictactoe, a complete
// game in under 100 lines.
//
// Thread-safety: a turn_game is shared by every match and must be immutable (const methods only). A game_state
// belongs to one match and is used by one thread at a time.
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace guildhall {

// A seat at the table: 0 for the player who moves first, 1 for the next, and so on.
using seat = int;

// Options a match is created with, as the client sent them (e.g. chess: {"fen": "..."}). A game validates them
// in turn_game::create and may ignore keys it does not know.
using game_options = std::map<std::string, std::string, std::less<>>;

// Why something was refused, in words a player can read ("that pawn cannot move backwards"). The engine sends it
// to the client unchanged.
using refusal = std::string;

// How a finished game ended. `winner` is empty for a draw.
struct game_outcome {
  std::optional<seat> winner;
  std::string reason;  // "checkmate", "three in a row", "stalemate", "threefold repetition", ...
};

// A move the game accepted, in two spellings.
struct accepted_move {
  std::string canonical;  // the game's normal form, stored and replayed (chess: UCI "e7e8q")
  std::string display;    // what people read in a move list (chess: SAN "e8=Q+")
};

// The position of one match. The engine keeps one per match, asks it whose turn it is, and hands it each move.
class game_state {
 public:
  virtual ~game_state() = default;

  // The seat to move. Only asked while outcome() is empty.
  virtual seat to_move() const = 0;

  // Validates `move` (in any notation the game accepts) for the seat to move and applies it. On refusal the
  // state must be unchanged. The engine has already checked that the game is not over and that the sender holds
  // the seat to move.
  virtual std::expected<accepted_move, refusal> apply(std::string_view move) = 0;

  // Set once the rules end the game (checkmate, a full board, ...). Time, resignation and agreement are the
  // engine's business, not the game's.
  virtual std::optional<game_outcome> outcome() const = 0;

  // What `viewer` may see of the position: a seat, or -1 for a spectator. Games with hidden information (cards)
  // hide what that viewer must not know. The format is the game's own (chess: FEN); clients render it.
  virtual std::string view_for(seat viewer) const = 0;

  // The moves the seat to move may play now, canonical. Used for move hints and by simple bots; a game whose
  // move list is too large to enumerate may return an empty list.
  virtual std::vector<std::string> legal_moves() const = 0;

  // When a player runs out of time, the engine asks whether the opponent could still win at all; if not, the
  // game is drawn (chess: a lone king cannot win on time).
  virtual bool can_win(seat) const { return true; }

  // The whole state as text that turn_game::restore turns back into an equal state. Stored after every move, so
  // a match survives a server restart.
  virtual std::string serialize() const = 0;
};

// A game: its name and how to start or restore a match of it. Register an instance with the server's game
// registry (src/services/turns/game_registry.hpp).
class turn_game {
 public:
  virtual ~turn_game() = default;

  // Lower-case id used in the protocol and URLs ("chess", "tictactoe").
  virtual std::string_view name() const = 0;

  // Number of seats; every seat must be filled before the first move.
  virtual int seats() const = 0;

  // A new match's starting position, or why the options are unacceptable.
  virtual std::expected<std::unique_ptr<game_state>, refusal> create(const game_options& options) const = 0;

  // Rebuilds a state from game_state::serialize(); a refusal means the stored text is corrupt.
  virtual std::expected<std::unique_ptr<game_state>, refusal> restore(std::string_view serialized) const = 0;
};

}  // namespace guildhall
