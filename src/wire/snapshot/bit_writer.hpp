#pragma once
// Appends bits to a byte vector, LSB-first: bit i of the stream is bit (i % 8) of byte i / 8, and a value's
// least significant bit is written first. This is the order every snapshot decoder (C++, sdk/js/src/snapshot_codec.ts)
// reads in; docs/protocol.md, "Room snapshots: the bit format".
// Thread-safety: none; a writer is a short-lived local of one encode call.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace guildhall::wire::snapshot {

class bit_writer {
 public:
  // Appends to `out` (whatever it already holds stays in front). Nothing is visible in `out` past the last whole
  // byte until flush().
  explicit bit_writer(std::vector<std::uint8_t>& out) : out_(out) {}

  // Writes the low `bits` bits of `value` (0..32 bits; higher bits of `value` are ignored).
  void write(std::uint32_t value, unsigned bits);
  void write_bit(bool bit) { write(bit ? 1u : 0u, 1); }

  // Pads the last byte with zero bits and appends it. Call once, at the end.
  void flush();

  // Bits written so far, including those not yet flushed.
  std::size_t bits_written() const { return bits_written_; }

 private:
  std::vector<std::uint8_t>& out_;
  std::uint64_t pending_ = 0;  // bits not yet appended, LSB first
  unsigned pending_bits_ = 0;  // always < 8 between calls
  std::size_t bits_written_ = 0;
};

}  // namespace guildhall::wire::snapshot
