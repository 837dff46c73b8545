// games/arena: the 3-byte input encoding, and a room that ignores and counts every malformed input without
// changing anything a player could see.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "arena_harness.hpp"

namespace guildhall::games::arena {
namespace {

using testing::arena_harness;
using testing::person;
using testing::spectator;

TEST(ArenaInput, RoundTripsEveryButtonAndAim) {
  for (const std::uint8_t buttons : {0, 1, 2, 4, 8, 16, 31}) {
    for (const std::uint16_t aim : {0, 1, 255, 256, 16384, 65535}) {
      const arena_input in{buttons, aim};
      const auto bytes = encode_input(in);
      const auto out = decode_input(bytes);
      ASSERT_TRUE(out.has_value());
      EXPECT_EQ(*out, in);
    }
  }
  EXPECT_EQ(encode_input({kUp | kFire, 0x1234}), (std::array<std::uint8_t, 3>{0x11, 0x34, 0x12}));
}

TEST(ArenaInput, RefusesWrongSizesAndReservedBits) {
  const std::vector<std::uint8_t> empty, two{1, 2}, four{1, 2, 3, 4};
  EXPECT_EQ(decode_input(empty).error(), input_error::wrong_size);
  EXPECT_EQ(decode_input(two).error(), input_error::wrong_size);
  EXPECT_EQ(decode_input(four).error(), input_error::wrong_size);
  for (const std::uint8_t bit : {0x20, 0x40, 0x80}) {
    const std::vector<std::uint8_t> bytes{std::uint8_t(kUp | bit), 0, 0};
    EXPECT_EQ(decode_input(bytes).error(), input_error::reserved_bits);
  }
}

TEST(ArenaInput, AimQuantizesAnyAngleAndWraps) {
  EXPECT_EQ(quantize_aim(0), 0);
  EXPECT_EQ(quantize_aim(std::numbers::pi / 2), 16384);
  EXPECT_EQ(quantize_aim(-std::numbers::pi / 2), 49152);
  EXPECT_EQ(quantize_aim(2 * std::numbers::pi), 0);
  EXPECT_EQ(quantize_aim(std::nan("")), 0);
  EXPECT_EQ(quantize_aim(std::numeric_limits<double>::infinity()), 0);
  for (const std::uint16_t aim : {0, 1, 12345, 65535}) EXPECT_EQ(quantize_aim(aim_radians(aim)), aim);
}

TEST(ArenaInput, TheRoomIgnoresAndCountsMalformedInputs) {
  arena_harness h;
  const auto ann = person(0, 1);
  h.join(ann);
  h.step();
  ASSERT_TRUE(h.arena->place(0, {18, 11}));
  h.step();
  const auto before = h.world.entities;

  const std::vector<std::uint8_t> empty, short_one{kRight}, long_one(64, kRight), reserved{kRight | 0x80, 0, 0};
  for (int tick = 0; tick < 10; ++tick) {
    h.send_raw(ann, empty, h.context.tick_);
    h.send_raw(ann, short_one, h.context.tick_);
    h.send_raw(ann, long_one, h.context.tick_);
    h.send_raw(ann, reserved, h.context.tick_);
    h.step();
  }
  EXPECT_EQ(h.arena->stats().inputs_wrong_size, 30u);
  EXPECT_EQ(h.arena->stats().inputs_reserved_bits, 10u);
  EXPECT_EQ(h.arena->stats().inputs_applied, 0u);
  EXPECT_EQ(h.arena->stats().shots, 0u);
  EXPECT_EQ(h.position(0), (vec2{18, 11}));
  EXPECT_EQ(h.player(0).fields, before.at(kPlayerIdBase).fields);

  h.input(ann, kRight);
  h.step();
  EXPECT_EQ(h.arena->stats().inputs_applied, 1u);
  EXPECT_GT(h.position(0).x, 18.0);
}

TEST(ArenaInput, InputsFromSpectatorsAndStrangersAreCountedAndIgnored) {
  arena_harness h;
  h.join(person(0, 1));
  h.join(spectator(9));
  h.step();
  const vec2 start = h.position(0);
  h.input(spectator(9), kRight | kFire);
  h.input(person(0, 2), kRight | kFire);  // someone claiming seat 0 who is not its owner
  h.input(person(5, 3), kRight | kFire);  // a seat nobody holds
  h.steps(10);
  EXPECT_EQ(h.arena->stats().inputs_not_fighting, 3u);
  EXPECT_EQ(h.position(0), start);
  EXPECT_EQ(h.arena->stats().shots, 0u);
}

}  // namespace
}  // namespace guildhall::games::arena
