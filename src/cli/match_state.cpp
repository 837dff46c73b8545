#include "cli/match_state.hpp"

#include <algorithm>

namespace guildhall::cli {

bool match_state::over() const {
  return info_.status() == v1::MatchInfo::FINISHED || info_.status() == v1::MatchInfo::ABORTED;
}

bool match_state::extend(const google::protobuf::RepeatedPtrField<v1::MoveRecord>& moves) {
  for (const auto& move : moves) {
    if (move.ply() <= moves_.size()) continue;        // seen already (a snapshot overlapping events)
    if (move.ply() != moves_.size() + 1) return false;  // one is missing before it
    moves_.push_back(move);
  }
  return true;
}

void match_state::take_info(const v1::MatchInfo& info, std::int64_t now_ms) {
  info_ = info;
  info_at_ms_ = now_ms;
}

bool match_state::apply(const v1::MatchSnapshot& snapshot, std::int64_t now_ms) {
  if (!empty() && snapshot.info().match_id() != match_id()) {
    *this = match_state{};  // another match: start over
  }
  const bool contiguous = extend(snapshot.moves());
  // Answers and events leave a match's shard in order, so an older picture than ours is only a late answer.
  if (empty() || snapshot.info().ply() >= info_.ply()) {
    take_info(snapshot.info(), now_ms);
    your_seat_ = snapshot.your_seat();
    view_ = snapshot.view();
    legal_moves_.assign(snapshot.legal_moves().begin(), snapshot.legal_moves().end());
  }
  return contiguous && moves_.size() >= info_.ply();
}

bool match_state::apply(const v1::MatchEvent& event, std::int64_t now_ms) {
  if (empty() || event.info().match_id() != match_id()) return true;
  bool contiguous = true;
  if (event.kind() == v1::MatchEvent::MOVED && event.has_move()) {
    google::protobuf::RepeatedPtrField<v1::MoveRecord> one;
    *one.Add() = event.move();
    contiguous = extend(one);
  }
  if (event.info().ply() >= info_.ply()) {
    take_info(event.info(), now_ms);
    view_ = event.view();
    legal_moves_.assign(event.legal_moves().begin(), event.legal_moves().end());
  }
  return contiguous && moves_.size() >= info_.ply();
}

std::optional<std::int64_t> match_state::clock_ms(int seat, std::int64_t now_ms) const {
  if (info_.time_control().initial_ms() == 0 || seat < 0 || seat >= info_.clock_ms_size()) return std::nullopt;
  std::int64_t left = info_.clock_ms(seat);
  if (clock_running() && seat == info_.to_move()) left -= now_ms - info_at_ms_;
  return std::max<std::int64_t>(0, left);
}

std::optional<std::int64_t> match_state::next_tick_ms(std::int64_t now_ms) const {
  if (!clock_running()) return std::nullopt;
  const auto left = clock_ms(info_.to_move(), now_ms);
  if (!left || *left <= 0) return std::nullopt;
  // Clocks show whole seconds rounded up (0:00 only once the time is up): the shown value changes when `left`
  // reaches the next lower multiple of 1000.
  const std::int64_t into_second = *left % 1000;
  return into_second == 0 ? 1000 : into_second;
}

}  // namespace guildhall::cli
