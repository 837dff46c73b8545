#include "net/outbound_queue.hpp"

#include <algorithm>

namespace guildhall::net {

void outbound_queue::push(entry item) {
  bytes_ += item.size();
  entries_.push_back(std::move(item));
}

std::size_t outbound_queue::front_buffers(std::vector<iovec>& out) const {
  out.clear();
  std::size_t count = 0;
  std::size_t skip = front_written_;
  auto add = [&](const char* data, std::size_t size) {
    const std::size_t skipped = std::min(skip, size);
    skip -= skipped;
    // iovec is the kernel's type for both directions, hence not const; sendmsg only reads it.
    if (size > skipped) out.push_back(iovec{const_cast<char*>(data + skipped), size - skipped});
  };
  for (const auto& item : entries_) {
    if (count == kMaxBatch) break;
    add(item.header.data(), item.header_bytes);
    add(item.payload.data(), item.payload.size());
    ++count;
  }
  return count;
}

void outbound_queue::consume(std::size_t written) {
  written = std::min(written, bytes_);
  bytes_ -= written;
  written += front_written_;
  while (!entries_.empty() && written >= entries_.front().size()) {
    written -= entries_.front().size();
    entries_.pop_front();
  }
  front_written_ = entries_.empty() ? 0 : written;
  // An idle connection should hold no queue memory: deque keeps a block after pop, so release it.
  if (entries_.empty()) std::deque<entry>().swap(entries_);
}

void outbound_queue::drop_unstarted() {
  const std::size_t keep = front_written_ > 0 ? 1 : 0;
  while (entries_.size() > keep) {
    bytes_ -= entries_.back().size();
    entries_.pop_back();
  }
}

}  // namespace guildhall::net
