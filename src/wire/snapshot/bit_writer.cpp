#include "wire/snapshot/bit_writer.hpp"

namespace guildhall::wire::snapshot {

void bit_writer::write(std::uint32_t value, unsigned bits) {
  if (bits == 0) return;
  if (bits < 32) value &= (std::uint32_t{1} << bits) - 1;
  pending_ |= std::uint64_t{value} << pending_bits_;
  pending_bits_ += bits;
  bits_written_ += bits;
  while (pending_bits_ >= 8) {
    out_.push_back(static_cast<std::uint8_t>(pending_));
    pending_ >>= 8;
    pending_bits_ -= 8;
  }
}

void bit_writer::flush() {
  if (pending_bits_ > 0) out_.push_back(static_cast<std::uint8_t>(pending_));
  pending_ = 0;
  pending_bits_ = 0;
}

}  // namespace guildhall::wire::snapshot
