#pragma once
// Time-ordered 64-bit ids for chat messages (snowflake layout): 42 bits of milliseconds since 2025-01-01,
// 8 bits of generator id, 14 bits of sequence. Ids from one generator strictly increase, so a channel (which lives
// on one shard, with one generator) gets ordered ids that double as history cursors.
// Thread-safety: one generator per thread (one per shard); not safe to share.
#include <cstdint>

namespace guildhall {

class id_generator {
 public:
  static constexpr std::uint64_t kEpochMs = 1735689600000;  // 2025-01-01T00:00:00Z
  static constexpr unsigned kGeneratorBits = 8;
  static constexpr unsigned kSequenceBits = 14;

  explicit id_generator(std::uint32_t generator_id);

  // `now_ms` is Unix milliseconds; injected so tests control time. A clock that steps back never makes ids
  // go back: the generator keeps using its last timestamp until the clock catches up.
  std::uint64_t next(std::int64_t now_ms);

  static std::int64_t unix_ms_of(std::uint64_t id);

 private:
  std::uint32_t generator_id_;
  std::int64_t last_ms_ = 0;
  std::uint32_t sequence_ = 0;
};

std::int64_t unix_now_ms();

}  // namespace guildhall
