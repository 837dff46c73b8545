#include "cli/match_state.hpp"

#include <algorithm>

namespace guildhall::cli {

bool match_state::over() const {
  return info_.state == client::match_info::status::finished || info_.state == client::match_info::status::aborted;
}

bool match_state::extend(const std::vector<client::move_record>& moves) {
  for (const auto& move : moves) {
    if (move.ply <= moves_.size()) continue;        // seen already (a snapshot overlapping events)
    if (move.ply != moves_.size() + 1) return false;  // one is missing before it
    moves_.push_back(move);
  }
  return true;
}

void match_state::take_info(const client::match_info& info, std::int64_t now_ms) {
  info_ = info;
  info_at_ms_ = now_ms;
}

bool match_state::apply(const client::match_snapshot& snapshot, std::int64_t now_ms) {
  if (!empty() && snapshot.info.match_id != match_id()) {
    *this = match_state{};  // another match: start over
  }
  const bool contiguous = extend(snapshot.moves);
  // Answers and events leave a match's shard in order, so an older picture than ours is only a late answer.
  if (empty() || snapshot.info.ply >= info_.ply) {
    take_info(snapshot.info, now_ms);
    your_seat_ = snapshot.your_seat;
    view_ = snapshot.view;
    legal_moves_ = snapshot.legal_moves;
  }
  return contiguous && moves_.size() >= info_.ply;
}

bool match_state::apply(const client::match_event& event, std::int64_t now_ms) {
  if (empty() || event.info.match_id != match_id()) return true;
  bool contiguous = true;
  // A moved event without a move (ply 0) is a malformed one: the gap check below then asks for the moves.
  if (event.what == client::match_event::kind::moved && event.move.ply != 0) contiguous = extend({event.move});
  if (event.info.ply >= info_.ply) {
    take_info(event.info, now_ms);
    view_ = event.view;
    legal_moves_ = event.legal_moves;
  }
  return contiguous && moves_.size() >= info_.ply;
}

std::optional<std::int64_t> match_state::clock_ms(int seat, std::int64_t now_ms) const {
  if (info_.initial_ms == 0 || seat < 0 || static_cast<std::size_t>(seat) >= info_.clock_ms.size()) return std::nullopt;
  std::int64_t left = info_.clock_ms[static_cast<std::size_t>(seat)];
  if (clock_running() && seat == info_.to_move) left -= now_ms - info_at_ms_;
  return std::max<std::int64_t>(0, left);
}

std::optional<std::int64_t> match_state::next_tick_ms(std::int64_t now_ms) const {
  if (!clock_running()) return std::nullopt;
  const auto left = clock_ms(info_.to_move, now_ms);
  if (!left || *left <= 0) return std::nullopt;
  // Clocks show whole seconds rounded up (0:00 only once the time is up): the shown value changes when `left`
  // reaches the next lower multiple of 1000.
  const std::int64_t into_second = *left % 1000;
  return into_second == 0 ? 1000 : into_second;
}

}  // namespace guildhall::cli
