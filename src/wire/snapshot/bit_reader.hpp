#pragma once
// Reads bits in the order bit_writer writes them (LSB-first). Every read is bounds-checked: reading past the end
// returns nullopt and leaves the position unchanged, so a truncated or hostile payload is an error, never a read
// outside `bytes`.
// Thread-safety: none; a reader is a short-lived local of one decode call. `bytes` must outlive it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace guildhall::wire::snapshot {

class bit_reader {
 public:
  explicit bit_reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  // The next `bits` bits (0..32) as an unsigned value, or nullopt when fewer remain.
  std::optional<std::uint32_t> read(unsigned bits);
  std::optional<bool> read_bit() {
    auto bit = read(1);
    if (!bit) return std::nullopt;
    return *bit != 0;
  }

  std::size_t bits_read() const { return position_; }
  std::size_t bits_left() const { return bytes_.size() * 8 - position_; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t position_ = 0;  // in bits
};

}  // namespace guildhall::wire::snapshot
