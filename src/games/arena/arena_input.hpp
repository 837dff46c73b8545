#pragma once
// The arena's input encoding: what rides in player_input::data. Exactly 3 bytes:
//
//   byte 0      buttons, one bit each: 0x01 up (+y), 0x02 down (-y), 0x04 left (-x), 0x08 right (+x), 0x10 fire.
//               Bits 0x20..0x80 are reserved and must be zero.
//   bytes 1..2  aim angle, unsigned 16-bit little-endian: angle = value * 2*pi / 65536 radians, counter-clockwise
//               from +x (so 0 aims right, 16384 up).
//
// Anything else (another length, a reserved bit set) is malformed: the room ignores it and counts it. There are
// no positions, speeds or targets in an input, so there is nothing to forge: the server decides where a player
// is and what a shot hits. The same codec serves clients and bots.
#include <array>
#include <cstdint>
#include <expected>
#include <span>

namespace guildhall::games::arena {

inline constexpr std::size_t kInputBytes = 3;

enum button : std::uint8_t {
  kUp = 0x01,
  kDown = 0x02,
  kLeft = 0x04,
  kRight = 0x08,
  kFire = 0x10,
};
inline constexpr std::uint8_t kKnownButtons = kUp | kDown | kLeft | kRight | kFire;

struct arena_input {
  std::uint8_t buttons = 0;  // a mask of `button`
  std::uint16_t aim = 0;     // quantized angle, see above

  bool held(button b) const { return (buttons & b) != 0; }
  friend bool operator==(const arena_input&, const arena_input&) = default;
};

enum class input_error : std::uint8_t {
  wrong_size,       // not exactly kInputBytes
  reserved_bits,    // a button bit the protocol does not define
};

std::expected<arena_input, input_error> decode_input(std::span<const std::uint8_t> data);
std::array<std::uint8_t, kInputBytes> encode_input(const arena_input& input);

// Radians <-> the 16-bit wire angle. Any angle is accepted (wrapped); the wire value round-trips exactly.
std::uint16_t quantize_aim(double radians);
double aim_radians(std::uint16_t aim);

}  // namespace guildhall::games::arena
