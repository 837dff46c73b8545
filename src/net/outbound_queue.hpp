#pragma once
// A connection's outbound queue, bounded in bytes. Entries share the fan-out's serialized message (refcounted)
// and add a few bytes of per-connection framing. Pure data structure: the connection does the writing.
// Thread-safety: none; owned by one connection.
#include <sys/uio.h>

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
    std::uint64_t slot = 0;  // push_latest's slot (0: an ordinary entry)
    std::size_t size() const { return header_bytes + payload.size(); }
  };

  void push(entry item);
  // Like push, but an unstarted entry pushed earlier with the same non-zero `slot` is replaced in place (keeping
  // its position) instead. Returns true when it replaced one.
  bool push_latest(entry item, std::uint64_t slot);
  bool empty() const { return entries_.empty(); }
  // Bytes not yet written, the part of a partly written entry included.
  std::size_t bytes() const { return bytes_; }
  std::size_t size() const { return entries_.size(); }

  // The unwritten bytes of the first entries (at most kMaxBatch) as buffers for one gather-write; returns how
  // many entries they cover. A partly written front entry contributes only its rest.
  std::size_t front_buffers(std::vector<iovec>& out) const;
  // `written` bytes from the front went out (a write may stop anywhere, even inside a header).
  void consume(std::size_t written);
  // Drops every entry not yet started; a partly written one stays, since the stream must not be cut mid-frame.
  void drop_unstarted();

 private:
  struct latest {
    std::uint64_t slot;
    std::uint64_t serial;  // position in the queue's history: entries_[serial - popped_]
  };
  void forget_popped();

  std::deque<entry> entries_;
  std::vector<latest> latest_;       // the newest entry per slot still possibly queued; a handful at most
  std::uint64_t popped_ = 0;         // entries consumed from the front since the queue was made
  std::size_t bytes_ = 0;
  std::size_t front_written_ = 0;  // bytes of the front entry already written
};

}  // namespace guildhall::net
