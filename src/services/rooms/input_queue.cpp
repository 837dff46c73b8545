#include "services/rooms/input_queue.hpp"

#include <algorithm>

namespace guildhall::services {

input_queue::outcome input_queue::push(std::uint32_t sequence, std::uint32_t client_tick, std::uint32_t view_tick,
                                       std::string& data) {
  auto drop = [this](input_drop why, outcome result) {
    ++dropped_[static_cast<std::size_t>(why)];
    return result;
  };
  if (data.size() > max_bytes_) return drop(input_drop::oversize, outcome::oversize);
  if (sequence <= last_applied_) {
    // A resend of what was applied is the normal case (redundancy); sequence 0 is never valid.
    return sequence == 0 ? drop(input_drop::stale, outcome::stale) : drop(input_drop::duplicate, outcome::duplicate);
  }
  // Over TCP inputs come in order, so the common insert is at the back: search from there.
  auto at = waiting_.end();
  while (at != waiting_.begin() && std::prev(at)->sequence >= sequence) --at;
  if (at != waiting_.end() && at->sequence == sequence) return drop(input_drop::duplicate, outcome::duplicate);
  if (waiting_.size() >= capacity_) return drop(input_drop::backlog_full, outcome::backlog_full);
  waiting_.insert(at, queued_input{sequence, client_tick, view_tick, std::move(data)});
  return outcome::queued;
}

std::span<const queued_input> input_queue::take() {
  taken_.clear();
  const std::size_t n = std::min(per_tick_, waiting_.size());
  for (std::size_t i = 0; i < n; ++i) {
    taken_.push_back(std::move(waiting_.front()));
    waiting_.pop_front();
  }
  if (!taken_.empty()) last_applied_ = taken_.back().sequence;
  return taken_;
}

}  // namespace guildhall::services
