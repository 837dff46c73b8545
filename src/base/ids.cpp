#include "base/ids.hpp"

#include <chrono>

namespace guildhall {

id_generator::id_generator(std::uint32_t generator_id)
    : generator_id_(generator_id & ((1u << kGeneratorBits) - 1)) {}

std::uint64_t id_generator::next(std::int64_t now_ms) {
  if (now_ms > last_ms_) {
    last_ms_ = now_ms;
    sequence_ = 0;
  } else if (++sequence_ >= (1u << kSequenceBits)) {
    // More than 16384 ids in one millisecond: borrow the next millisecond rather than repeat an id.
    ++last_ms_;
    sequence_ = 0;
  }
  const auto elapsed = static_cast<std::uint64_t>(last_ms_ - static_cast<std::int64_t>(kEpochMs));
  return (elapsed << (kGeneratorBits + kSequenceBits)) | (std::uint64_t{generator_id_} << kSequenceBits) |
         sequence_;
}

std::int64_t id_generator::unix_ms_of(std::uint64_t id) {
  return static_cast<std::int64_t>((id >> (kGeneratorBits + kSequenceBits)) + kEpochMs);
}

std::int64_t unix_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace guildhall
