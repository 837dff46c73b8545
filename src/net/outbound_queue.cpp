#include "net/outbound_queue.hpp"

namespace guildhall::net {

void outbound_queue::push(entry item) {
  bytes_ += item.size();
  entries_.push_back(std::move(item));
}

void outbound_queue::pop_front(std::size_t count) {
  for (std::size_t i = 0; i < count && !entries_.empty(); ++i) {
    bytes_ -= entries_.front().size();
    entries_.pop_front();
  }
  // An idle connection should hold no queue memory: deque keeps a block after pop, so release it.
  if (entries_.empty()) std::deque<entry>().swap(entries_);
}

void outbound_queue::truncate(std::size_t keep) {
  while (entries_.size() > keep) {
    bytes_ -= entries_.back().size();
    entries_.pop_back();
  }
}

}  // namespace guildhall::net
