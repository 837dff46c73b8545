#include "net/outbound_queue.hpp"

#include <algorithm>

namespace guildhall::net {

void outbound_queue::push(entry item) {
  bytes_ += item.size();
  entries_.push_back(std::move(item));
}

bool outbound_queue::push_latest(entry item, std::uint64_t slot) {
  for (auto& known : latest_) {
    if (known.slot != slot || known.serial < popped_) continue;
    const std::uint64_t index = known.serial - popped_;
    const bool started = index == 0 && front_written_ > 0;
    if (index < entries_.size() && entries_[index].slot == slot && !started) {
      bytes_ -= entries_[index].size();
      bytes_ += item.size();
      item.slot = slot;
      entries_[index] = std::move(item);
      return true;
    }
  }
  forget_popped();
  const std::uint64_t serial = popped_ + entries_.size();
  item.slot = slot;
  push(std::move(item));
  auto known = std::find_if(latest_.begin(), latest_.end(), [slot](const latest& l) { return l.slot == slot; });
  if (known == latest_.end()) {
    latest_.push_back({slot, serial});
  } else {
    known->serial = serial;
  }
  return false;
}

void outbound_queue::forget_popped() {
  std::erase_if(latest_, [this](const latest& l) { return l.serial < popped_ || l.serial - popped_ >= entries_.size(); });
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
    ++popped_;
  }
  front_written_ = entries_.empty() ? 0 : written;
  // An idle connection should hold no queue memory: deque keeps a block after pop, so release it.
  if (entries_.empty()) {
    std::deque<entry>().swap(entries_);
    std::vector<latest>().swap(latest_);
  }
}

void outbound_queue::drop_unstarted() {
  const std::size_t keep = front_written_ > 0 ? 1 : 0;
  while (entries_.size() > keep) {
    bytes_ -= entries_.back().size();
    entries_.pop_back();
  }
}

}  // namespace guildhall::net
