#pragma once
// Turn-based match and leaderboard values (docs/protocol.md, "Matches").
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace guildhall::client {

struct match_player {
  std::uint64_t user_id = 0;  // 0: a free seat
  std::string username{};
  bool bot = false;
  std::int32_t rating = 0;
  std::vector<std::string> invited{};  // a free seat of an invite-only match: who may take it
};

struct move_record {
  std::uint32_t ply = 0;  // 1 for the first move
  std::int32_t seat = 0;
  std::string move{};       // canonical (chess: UCI)
  std::string display{};    // for people (chess: SAN)
  std::int64_t at_ms = 0;
  std::int64_t clock_ms = 0;  // the mover's time left after the move
};

struct match_info {
  enum class status : std::uint8_t { unspecified, open, active, finished, aborted };
  std::uint64_t match_id = 0;
  std::string game{};
  status state = status::unspecified;
  std::vector<match_player> players{};  // by seat
  std::int32_t to_move = -1;          // seat to move; -1 unless active
  std::uint32_t ply = 0;
  bool rated = false;
  std::int32_t winner = -1;           // finished: the seat that won, -1 for a draw
  std::string result_reason{};          // "checkmate", "resignation", ...
  std::int32_t draw_offered_by = -1;
  std::vector<std::int64_t> clock_ms{};  // per seat, at clock_at_ms
  std::int64_t clock_at_ms = 0;
  bool clock_running = false;     // the seat to move's clock runs: false before that seat's first move
  std::uint32_t initial_ms = 0;   // the time control: each seat's clock at the start (0: no clock), and
  std::uint32_t increment_ms = 0; // what a move adds to the mover's clock
  std::int64_t created_at_ms = 0;  // Unix ms, server clock: older open matches have waited longer
  std::map<std::string, std::string> options{};
};

// The whole match as this player sees it: the answer to create, join, open and action.
struct match_snapshot {
  match_info info{};
  std::int32_t your_seat = -1;  // -1: a spectator
  std::string view{};             // the game's view (chess: FEN)
  std::vector<move_record> moves{};
  std::vector<std::string> legal_moves{};  // only when it is this player's turn
};

struct match_event {
  enum class kind : std::uint8_t { unspecified, moved, player_joined, started, draw_offered, draw_declined, ended,
                                   player_left };
  kind what = kind::unspecified;
  match_info info{};
  move_record move{};  // moved only
  std::string view{};
  std::vector<std::string> legal_moves{};
};

struct match_settings {
  std::string game = "chess";
  std::map<std::string, std::string> options{};  // the game's (chess: {"fen": ...})
  std::vector<std::string> invite{};             // usernames; empty: open to anyone
  bool bot = false;                            // play the server's bot (starts at once)
  std::uint32_t bot_skill_level = 0;           // 0: the server's default
  bool rated = false;
  std::uint32_t initial_ms = 0;                // 0: no clock (correspondence)
  std::uint32_t increment_ms = 0;
  enum class seat_choice : std::uint8_t { any, first, second } seat = seat_choice::any;
};

// Told to a player who may not be looking (your turn, game over, invited), stored by the server until
// acknowledged: it comes again after each connect until client::acknowledge_notifications, so a game shows each
// notification_id once.
struct notification {
  enum class kind : std::uint8_t { unspecified, your_turn, game_over, invited };
  std::uint64_t notification_id = 0;
  kind what = kind::unspecified;
  std::uint64_t match_id = 0;
  std::string game{};
  std::string text{};             // for people
  std::int64_t created_at_ms = 0;  // Unix ms, server clock
};

enum class match_action : std::uint8_t { resign, offer_draw, accept_draw, decline_draw, abort };

struct leaderboard_entry {
  std::uint32_t rank = 0;
  std::uint64_t user_id = 0;
  std::string username{};
  std::int32_t rating = 0;
  std::int32_t deviation = 0;
  std::uint32_t games = 0, wins = 0, losses = 0, draws = 0;
};

struct leaderboard_page {
  std::string game{};
  std::vector<leaderboard_entry> entries{};
};

}  // namespace guildhall::client
