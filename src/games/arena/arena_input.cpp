#include "games/arena/arena_input.hpp"

#include <cmath>
#include <numbers>

namespace guildhall::games::arena {
namespace {
constexpr double kTurn = 2 * std::numbers::pi;
constexpr double kAimSteps = 65536.0;
}  // namespace

std::expected<arena_input, input_error> decode_input(std::span<const std::uint8_t> data) {
  if (data.size() != kInputBytes) return std::unexpected(input_error::wrong_size);
  if ((data[0] & ~kKnownButtons) != 0) return std::unexpected(input_error::reserved_bits);
  return arena_input{data[0], std::uint16_t(data[1] | (data[2] << 8))};
}

std::array<std::uint8_t, kInputBytes> encode_input(const arena_input& input) {
  return {std::uint8_t(input.buttons & kKnownButtons), std::uint8_t(input.aim & 0xff), std::uint8_t(input.aim >> 8)};
}

std::uint16_t quantize_aim(double radians) {
  if (!std::isfinite(radians)) return 0;
  double turns = std::fmod(radians / kTurn, 1.0);
  if (turns < 0) turns += 1.0;
  return std::uint16_t(std::llround(turns * kAimSteps) & 0xffff);
}

double aim_radians(std::uint16_t aim) { return aim * (kTurn / kAimSteps); }

}  // namespace guildhall::games::arena
