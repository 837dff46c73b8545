#include "services/rooms/event_log.hpp"

namespace guildhall::services {

const room_event& event_log::append(room_event event) {
  event.seq = next_seq_++;
  bytes_ += event.bytes();
  events_.push_back(std::move(event));
  // Never evict the event just added, even one larger than the byte bound on its own.
  while (events_.size() > 1 && (events_.size() > kMaxEvents || bytes_ > kMaxBytes)) {
    bytes_ -= events_.front().bytes();
    evicted_through_ = events_.front().seq;
    events_.pop_front();
  }
  return events_.back();
}

std::vector<const room_event*> event_log::since(std::uint64_t after_seq, std::uint64_t user_id, bool& lost) const {
  lost = evicted_through_ > after_seq;
  std::vector<const room_event*> out;
  for (const auto& event : events_) {
    if (event.seq <= after_seq) continue;
    if (event.to_user == 0 || event.to_user == user_id) out.push_back(&event);
  }
  return out;
}

}  // namespace guildhall::services
