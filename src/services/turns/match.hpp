#pragma once
// One turn-based match as rules and bookkeeping: seats, strict turn order, clocks, draw offers, resignation,
// abort and adjudication, around the game's own state. Pure: time comes in as `now_ms`, nothing here does I/O,
// so every rule is a millisecond unit test (tests/unit/match_test.cpp). The turn service owns the matches,
// persists every change and tells the players.
// Thread-safety: one thread at a time (the match's shard).
#include <guildhall/turn_game.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "services/turns/turns_config.hpp"
#include "store/records.hpp"

namespace guildhall::services {

struct player_ref {
  std::uint64_t user_id = 0;
  std::string username;
  bool bot = false;
  int rating = 0;
};

class match {
 public:
  // A new match from `header` (id, game, options, seats with the players already chosen, time control, rated,
  // bot settings). It starts at once when every seat is taken, else it is open.
  static result<match> create(const turn_game& game, store::match_record header, std::int64_t now_ms);
  // A match as the store kept it, with its moves.
  static result<match> restore(const turn_game& game, store::match_record record,
                               std::vector<store::move_record> moves);

  const store::match_record& record() const { return record_; }
  const std::vector<store::move_record>& moves() const { return moves_; }
  std::uint64_t id() const { return record_.id; }
  bool live() const;  // open or active
  bool active() const { return record_.status == store::match_status::active; }
  // The user's seat, or -1.
  int seat_of(std::uint64_t user_id) const;
  // Whether an open match belongs in this user's list: they hold a seat, or some free seat is open to them.
  bool may_see(std::uint64_t user_id, std::string_view username) const;
  static bool may_see(const store::match_record& record, std::uint64_t user_id, std::string_view username);

  // Presence of the seated players of an open match (not stored: after a restart everyone is away until they
  // connect). Returns whether it changed anything. An open match whose seated player has been away for
  // turns.open_match_offline_ttl_ms expires (see expire).
  bool set_present(std::uint64_t user_id, bool present, std::int64_t now_ms);
  bool seated_players_present() const;
  // The seat a bot must fill now, or -1.
  int bot_to_move() const;

  // Takes the first free seat the player may take; starts the match when it was the last. Returns the seat.
  result<int> join(const player_ref& player, std::int64_t now_ms);
  // A player gives up their seat in an open match; the match is cancelled when nobody is left.
  result<void> leave_open(std::uint64_t user_id, std::int64_t now_ms);
  // Validates and applies a move for the user; with `expected_ply` set, only on the position after that many moves.
  result<store::move_record> play(std::uint64_t user_id, std::string_view move, std::optional<std::uint32_t> expected_ply,
                                  std::int64_t now_ms);
  result<void> resign(std::uint64_t user_id, std::int64_t now_ms);
  result<void> offer_draw(std::uint64_t user_id, std::int64_t now_ms);
  result<void> accept_draw(std::uint64_t user_id, std::int64_t now_ms);
  result<void> decline_draw(std::uint64_t user_id, std::int64_t now_ms);
  result<void> abort(std::uint64_t user_id, std::int64_t now_ms);
  // Ends the match if the seat to move ran out of time, missed the move deadline, or nobody joined in time.
  // Returns true when it ended the match. Call before every action so a late move loses on time.
  bool expire(std::int64_t now_ms, const turns_config& config);

  // Time the seat has left at `now_ms`. A seat's clock runs only on its turn, and only once it has made its
  // first move (as on the big chess sites), so nobody loses on time before moving; a seat that never makes its
  // first move is aborted after turns.first_move_deadline_ms instead.
  std::int64_t remaining_ms(int seat, std::int64_t now_ms) const;
  // Whether the seat to move is spending its time now.
  bool clock_running() const;
  bool has_moved(int seat) const;
  // The match was read back after the server was down: the turn restarts its clock at `now_ms`, so the time the
  // server was away is not charged to the player to move (what they had thought before the stop is not
  // charged either: when the server stopped is not known after kill -9). The seated players of an open match
  // count as away from `now_ms` until they connect.
  void resume_after_restart(std::int64_t now_ms);
  std::string view_for(int viewer) const;
  // The seat to move's legal moves, canonical; empty unless active.
  std::vector<std::string> legal_moves() const;

 private:
  match(const turn_game& game, store::match_record record, std::unique_ptr<game_state> state,
        std::vector<store::move_record> moves);
  void start(std::int64_t now_ms);
  void finish(int winner, std::string reason, std::int64_t now_ms);
  void finish_by_default(int loser, std::string reason, std::int64_t now_ms);
  void abort_now(std::string reason, std::int64_t now_ms);
  result<int> require_active_player(std::uint64_t user_id) const;

  const turn_game* game_;
  store::match_record record_;
  std::unique_ptr<game_state> state_;
  std::vector<store::move_record> moves_;
  std::vector<std::int64_t> away_since_ms_;  // by seat: since when its player has had no connection; -1: present
};

}  // namespace guildhall::services
