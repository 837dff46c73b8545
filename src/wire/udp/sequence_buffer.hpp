#pragma once
// 16-bit sequence numbers that wrap around, and the ring buffer indexed by them (reliable.io's sequence_buffer).
// Packet sequences and message ids are 16 bits on the wire to keep headers small; they wrap every 65,536 values,
// so "newer" is decided modulo 2^16: a is newer than b when it is ahead by less than half the space. Every window
// built on them (acks, in-flight messages, receive window) is far smaller than 32,768, so the comparison holds.
// Thread-safety: none; one per endpoint, used on the endpoint's thread.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace guildhall::wire::udp {

// True when `a` is newer than `b` modulo 2^16 (a - b in 1..32767).
constexpr bool sequence_greater_than(std::uint16_t a, std::uint16_t b) {
  return ((a > b) && (a - b <= 32768)) || ((a < b) && (b - a > 32768));
}
constexpr bool sequence_less_than(std::uint16_t a, std::uint16_t b) { return sequence_greater_than(b, a); }
// How far `a` is ahead of `b` (0..65535), wrap-around included.
constexpr std::uint16_t sequence_distance(std::uint16_t a, std::uint16_t b) {
  return static_cast<std::uint16_t>(a - b);
}

// A window of the last `size` sequences: entries newer than the window evict older ones, entries older than the
// window are refused. find() returns nullptr for a sequence never inserted or already evicted.
template <class T>
class sequence_buffer {
 public:
  // `size` must be in 1..32768 (endpoint_config::validate checks the sizes the endpoint passes).
  explicit sequence_buffer(std::size_t size) : entries_(size), tags_(size, kEmpty) {}

  std::size_t size() const { return entries_.size(); }
  // The sequence after the newest inserted (0 before the first insert).
  std::uint16_t next_sequence() const { return next_; }

  // An entry for `sequence`, reset to T{} unless `keep` (then a reused slot keeps its old value, e.g. a vector's
  // capacity, and the caller resets what it needs). nullptr when `sequence` is older than the window.
  T* insert(std::uint16_t sequence, bool keep = false) {
    if (too_old(sequence)) return nullptr;
    if (!started_ || sequence_greater_than(static_cast<std::uint16_t>(sequence + 1), next_)) {
      evict_range(next_, sequence);
      next_ = static_cast<std::uint16_t>(sequence + 1);
      started_ = true;
    }
    const std::size_t index = sequence % entries_.size();
    tags_[index] = sequence;
    if (!keep) entries_[index] = T{};
    return &entries_[index];
  }

  // True when `sequence` falls before the window (it can be neither stored nor found any more).
  bool too_old(std::uint16_t sequence) const {
    return started_ && sequence_less_than(sequence, static_cast<std::uint16_t>(next_ - entries_.size()));
  }
  // A slot skipped by a jump keeps its old tag; too_old() rules such leftovers out.
  bool exists(std::uint16_t sequence) const {
    return tags_[sequence % entries_.size()] == sequence && !too_old(sequence);
  }
  T* find(std::uint16_t sequence) { return exists(sequence) ? &entries_[sequence % entries_.size()] : nullptr; }
  const T* find(std::uint16_t sequence) const {
    return exists(sequence) ? &entries_[sequence % entries_.size()] : nullptr;
  }
  void remove(std::uint16_t sequence) {
    if (exists(sequence)) tags_[sequence % entries_.size()] = kEmpty;
  }

 private:
  // Sequences in [from, to) are skipped over by a newer insert: their slots no longer hold them.
  void evict_range(std::uint16_t from, std::uint16_t to) {
    const std::size_t count = sequence_distance(to, from);
    if (count >= entries_.size()) {
      std::fill(tags_.begin(), tags_.end(), kEmpty);
      return;
    }
    for (std::size_t i = 0; i < count; ++i) tags_[static_cast<std::uint16_t>(from + i) % entries_.size()] = kEmpty;
  }

  static constexpr std::uint32_t kEmpty = 0xffffffffu;  // never a 16-bit sequence
  std::vector<T> entries_;
  std::vector<std::uint32_t> tags_;
  std::uint16_t next_ = 0;
  bool started_ = false;
};

}  // namespace guildhall::wire::udp
