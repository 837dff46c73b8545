#pragma once
// A connection's outbound queue, bounded in bytes. Entries share the fan-out's serialized message (refcounted)
// and add a few bytes of per-connection framing. Pure data structure: the connection does the writing.
// Thread-safety: none; owned by one connection.
#include <array>
#include <cstddef>
#include <deque>
#include <memory>
#include <string_view>
#include <vector>

namespace guildhall::net {

class outbound_queue {
 public:
  static constexpr std::size_t kMaxHeaderBytes = 14;  // WebSocket header of an unmasked 64-bit length frame
  static constexpr std::size_t kMaxBatch = 128;       // entries per gather-write (each is two iovecs)

  struct entry {
    std::shared_ptr<const void> owner;  // keeps `payload` alive
    std::string_view payload;
    std::array<char, kMaxHeaderBytes> header{};
    std::uint8_t header_bytes = 0;
    std::size_t size() const { return header_bytes + payload.size(); }
  };

  void push(entry item);
  bool empty() const { return entries_.empty(); }
  std::size_t bytes() const { return bytes_; }
  std::size_t size() const { return entries_.size(); }

  // The first `count` entries (at most kMaxBatch) as buffers for one gather-write.
  template <typename Buffer>
  std::size_t front_buffers(std::vector<Buffer>& out) const {
    out.clear();
    std::size_t count = 0;
    for (const auto& item : entries_) {
      if (count == kMaxBatch) break;
      if (item.header_bytes) out.emplace_back(item.header.data(), item.header_bytes);
      if (!item.payload.empty()) out.emplace_back(item.payload.data(), item.payload.size());
      ++count;
    }
    return count;
  }
  void pop_front(std::size_t count);
  // Drops everything but the first `keep` entries (those being written).
  void truncate(std::size_t keep);

 private:
  std::deque<entry> entries_;
  std::size_t bytes_ = 0;
};

}  // namespace guildhall::net
