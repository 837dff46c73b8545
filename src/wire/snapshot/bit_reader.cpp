#include "wire/snapshot/bit_reader.hpp"

#include <bit>
#include <cstring>

namespace guildhall::wire::snapshot {

std::optional<std::uint32_t> bit_reader::read(unsigned bits) {
  if (bits > 32 || bits > bits_left()) return std::nullopt;
  if (bits == 0) return 0u;
  const std::size_t first = position_ / 8;
  const unsigned shift = position_ % 8;
  const std::size_t count = (shift + bits + 7) / 8;  // 1..5 bytes, all inside bytes_ (checked above)
  std::uint64_t window = 0;
  if constexpr (std::endian::native == std::endian::little) {
    if (bytes_.size() - first >= sizeof window) {  // the hot path: one load instead of a byte loop
      std::memcpy(&window, bytes_.data() + first, sizeof window);
      position_ += bits;
      return static_cast<std::uint32_t>((window >> shift) & ((std::uint64_t{1} << bits) - 1));
    }
  }
  for (std::size_t i = 0; i < count; ++i) window |= std::uint64_t{bytes_[first + i]} << (8 * i);
  position_ += bits;
  return static_cast<std::uint32_t>((window >> shift) & ((std::uint64_t{1} << bits) - 1));
}

}  // namespace guildhall::wire::snapshot
