#pragma once
// The terminal client's picture of one match, folded from the SDK's match snapshots (answers) and match events
// (pushes), with each clock as it stood when the news arrived. Pure: time comes in as `now_ms` from a steady
// clock, so folding and clock arithmetic are unit tests (tests/unit/match_state_test.cpp).
// Thread-safety: one thread at a time (the play command's network thread).
#include <cstdint>
#include <guildhall/client.hpp>
#include <optional>
#include <string>
#include <vector>

namespace guildhall::cli {

class match_state {
 public:
  // Folds an answer to create, join, open or act. Its moves extend the list; answers to join and act carry none.
  // Returns false when the server has more moves than we hold: the caller then asks open_match with
  // after_ply = moves().size().
  bool apply(const client::match_snapshot& snapshot, std::int64_t now_ms);
  // Folds a pushed event; false on a gap in the moves, as above. Events of other matches are ignored.
  bool apply(const client::match_event& event, std::int64_t now_ms);

  bool empty() const { return !info_.match_id; }
  const client::match_info& info() const { return info_; }
  std::uint64_t match_id() const { return info_.match_id; }
  const std::string& game() const { return info_.game; }
  int your_seat() const { return your_seat_; }
  bool spectating() const { return your_seat_ < 0; }
  const std::string& view() const { return view_; }
  const std::vector<client::move_record>& moves() const { return moves_; }
  const std::vector<std::string>& legal_moves() const { return legal_moves_; }

  bool open() const { return info_.state == client::match_info::status::open; }
  bool active() const { return info_.state == client::match_info::status::active; }
  bool over() const;  // finished or aborted
  bool my_turn() const { return active() && your_seat_ >= 0 && info_.to_move == your_seat_; }
  // The seat whose draw offer stands, or -1.
  int draw_offered_by() const { return active() ? info_.draw_offered_by : -1; }

  // Time left for `seat` at `now_ms`; the seat to move loses what passed since the last news. Nullopt for a
  // match without a clock.
  std::optional<std::int64_t> clock_ms(int seat, std::int64_t now_ms) const;
  bool clock_running() const {
    return active() && info_.initial_ms > 0 && info_.to_move >= 0 && info_.clock_running;
  }
  // Milliseconds until the running clock shows the next lower second; nullopt when no clock runs or it shows 0.
  std::optional<std::int64_t> next_tick_ms(std::int64_t now_ms) const;

 private:
  // Appends the moves after those we hold; false when one is missing before them.
  bool extend(const std::vector<client::move_record>& moves);
  void take_info(const client::match_info& info, std::int64_t now_ms);

  client::match_info info_;
  std::int64_t info_at_ms_ = 0;  // local steady time when info_ (and its clock_ms) arrived
  int your_seat_ = -1;
  std::string view_;
  std::vector<client::move_record> moves_;
  std::vector<std::string> legal_moves_;
};

}  // namespace guildhall::cli
