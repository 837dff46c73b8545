// games/arena: the map and the one movement rule. Speed, acceleration and walls are the server's to decide, so
// no input - held for however long, sent however often - moves a body faster than kMaxSpeed or through a wall.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <vector>

#include "arena_harness.hpp"
#include "games/arena/arena_map.hpp"
#include "games/arena/arena_rules.hpp"
#include "games/arena/motion.hpp"

namespace guildhall::games::arena {
namespace {

using testing::arena_harness;
using testing::person;

TEST(ArenaMap, SpawnPointsAreOpenGroundInsideThePlayfield) {
  const arena_map& map = yard_map();
  EXPECT_EQ(map.spawns.size(), std::size_t(kMaxFighters));
  for (const vec2 spawn : map.spawns) EXPECT_TRUE(is_free(map, spawn, kPlayerRadius)) << spawn.x << "," << spawn.y;
}

TEST(ArenaMap, WallsBlockSightAndRaysStopAtThem) {
  const arena_map& map = yard_map();
  // The block in the middle spans x 21..27, y 13..19.
  EXPECT_FALSE(line_of_sight(map, {18, 16}, {30, 16}));
  EXPECT_TRUE(line_of_sight(map, {18, 11}, {30, 11}));
  EXPECT_NEAR(cast_ray(map, {18, 16}, {1, 0}, 100), 3.0, 1e-9);
  // The edge of the playfield stops a ray too.
  EXPECT_NEAR(cast_ray(map, {1, 2}, {-1, 0}, 100), 1.0, 1e-9);
  EXPECT_FALSE(is_free(map, {24, 16}, kPlayerRadius));
  EXPECT_FALSE(is_free(map, {0.2, 10}, kPlayerRadius));
}

TEST(ArenaMotion, HoldingADirectionNeverBeatsTheSpeedLimit) {
  const arena_map& map = yard_map();
  for (const int hz : {1, 10, 20, 30, 60, 128}) {
    body b{{18, 11}, {}};
    const vec2 start = b.position;
    const int ticks = hz;  // one second
    for (int i = 0; i < ticks; ++i) {
      const vec2 before = b.position;
      b = step_body(map, b, wish_direction(false, false, false, true), 1.0 / hz);
      EXPECT_LE(distance(before, b.position), kMaxSpeed / hz + 1e-9) << hz << " Hz, tick " << i;
      EXPECT_LE(length(b.velocity), kMaxSpeed + 1e-9);
    }
    EXPECT_LE(distance(start, b.position), kMaxSpeed * ticks / hz + 1e-9) << hz << " Hz";
    EXPECT_GT(distance(start, b.position), 0.0);
  }
}

TEST(ArenaMotion, DiagonalsAreNoFasterAndAHugeWishIsCapped) {
  const arena_map& map = yard_map();
  body straight{{30, 17}, {}}, diagonal{{30, 17}, {}}, huge{{30, 17}, {}};  // open ground
  for (int i = 0; i < 30; ++i) {
    straight = step_body(map, straight, wish_direction(false, false, false, true), 1.0 / 30);
    diagonal = step_body(map, diagonal, wish_direction(true, false, false, true), 1.0 / 30);
    huge = step_body(map, huge, {1000, 0}, 1.0 / 30);
  }
  EXPECT_NEAR(length(diagonal.velocity), length(straight.velocity), 1e-9);
  EXPECT_NEAR(length(huge.velocity), kMaxSpeed, 1e-9);
  EXPECT_NEAR(huge.position.x, straight.position.x, 1e-9);
}

TEST(ArenaMotion, AccelerationIsGradualAndStoppingIsToo) {
  const arena_map& map = yard_map();
  body b = step_body(map, {{18, 11}, {}}, {1, 0}, 1.0 / 30);
  EXPECT_NEAR(length(b.velocity), kAcceleration / 30, 1e-9);
  for (int i = 0; i < 30; ++i) b = step_body(map, b, {1, 0}, 1.0 / 30);
  b = step_body(map, b, {}, 1.0 / 30);
  EXPECT_NEAR(length(b.velocity), kMaxSpeed - kDeceleration / 30, 1e-9);
}

TEST(ArenaMotion, WallsStopABodyAtAnyTickRate) {
  const arena_map& map = yard_map();
  // Running right at the block in the middle (x 21..27) for ten seconds: it stops at its face, even when one
  // tick would carry it further than the block is thick.
  for (const int hz : {1, 2, 30}) {
    body b{{18, 16}, {}};
    for (int i = 0; i < 10 * hz; ++i) {
      b = step_body(map, b, {1, 0}, 1.0 / hz);
      ASSERT_TRUE(is_free(map, b.position, kPlayerRadius - 1e-6)) << hz << " Hz at " << b.position.x;
    }
    EXPECT_NEAR(b.position.x, 21 - kPlayerRadius, 1e-6) << hz << " Hz";
  }
}

TEST(ArenaMotion, ABodySlidesAlongAWallAndStaysInThePlayfield) {
  const arena_map& map = yard_map();
  body b{{18, 16}, {}};
  for (int i = 0; i < 30; ++i) b = step_body(map, b, wish_direction(true, false, false, true), 1.0 / 30);
  EXPECT_GT(b.position.y, 17.0);  // kept moving up along the face
  body corner{{2, 2}, {}};
  for (int i = 0; i < 60; ++i) corner = step_body(map, corner, wish_direction(false, true, true, false), 1.0 / 30);
  EXPECT_NEAR(corner.position.x, kPlayerRadius, 1e-9);
  EXPECT_NEAR(corner.position.y, kPlayerRadius, 1e-9);
}

// Through the room: a flood of inputs per tick moves a player no further than one input per tick.
TEST(ArenaSpeed, MoreInputsPerTickDoNotMoveAPlayerFaster) {
  arena_harness calm, flood;
  for (arena_harness* h : {&calm, &flood}) {
    h->join(person(0, 1));
    h->step();
    ASSERT_TRUE(h->arena->place(0, {18, 11}));
  }
  const int ticks = 30;
  for (int i = 0; i < ticks; ++i) {
    calm.input(person(0, 1), kRight);
    for (int copy = 0; copy < 4; ++copy) flood.input(person(0, 1), kRight);
    calm.step();
    flood.step();
  }
  EXPECT_EQ(calm.position(0), flood.position(0));
  EXPECT_LE(calm.position(0).x - 18, kMaxSpeed * ticks / kDefaultTickHz + 1e-9);
  EXPECT_GT(calm.position(0).x - 18, 0.8 * kMaxSpeed * ticks / kDefaultTickHz);
}

TEST(ArenaSpeed, ADroppedPlayerStopsAndAReturningOneMovesAgain) {
  arena_harness h;
  const auto ann = person(0, 1);
  h.join(ann);
  h.step();
  ASSERT_TRUE(h.arena->place(0, {18, 11}));
  h.input(ann, kRight);
  h.steps(5);
  h.arena->on_leave(ann, leave_kind::dropped);
  h.steps(30);  // decelerates to a stop
  const vec2 stopped = h.position(0);
  h.steps(30);
  EXPECT_EQ(h.position(0), stopped);
  h.arena->on_leave(ann, leave_kind::returned);
  h.input(ann, kRight);
  h.steps(5);
  EXPECT_GT(h.position(0).x, stopped.x);
}

// Whatever bytes arrive, however many per tick: no body ever moves faster than kMaxSpeed or overlaps a wall.
TEST(ArenaSpeed, RandomInputsNeverBeatTheSpeedLimitOrEnterAWall) {
  arena_harness h(room_options{{"seed", "3"}});
  const room_member players[] = {person(0, 1), person(1, 2), person(2, 3)};
  for (const auto& p : players) h.join(p);
  h.step();
  std::mt19937_64 random(2024);
  std::vector<std::uint8_t> bytes;
  for (int tick = 0; tick < 30 * 60; ++tick) {
    std::map<int, vec2> before;
    std::map<int, bool> was_alive;
    for (int slot = 0; slot < 3; ++slot) {
      before[slot] = h.position(slot);
      was_alive[slot] = h.player(slot).fields[kPalive] != 0;
    }
    for (const auto& p : players) {
      for (int n = int(random() % 6); n > 0; --n) {
        bytes.resize(random() % 5 == 0 ? random() % 8 : kInputBytes);
        for (auto& b : bytes) b = std::uint8_t(random());
        if (random() % 2) bytes[0] &= kKnownButtons;
        h.send_raw(p, bytes, std::uint32_t(random()));
      }
    }
    h.step();
    for (int slot = 0; slot < 3; ++slot) {
      const vec2 now = h.position(slot);
      if (h.player(slot).fields[kPalive] == 0) continue;
      if (was_alive[slot]) {  // (a respawn is a jump by design)
        ASSERT_LE(distance(before[slot], now), kMaxSpeed / kDefaultTickHz + 1e-9) << tick;
      }
      ASSERT_TRUE(is_free(yard_map(), now, kPlayerRadius - 1e-6)) << tick;
    }
  }
  EXPECT_GT(h.arena->stats().inputs_applied, 1000u);
  EXPECT_GT(h.arena->stats().inputs_wrong_size + h.arena->stats().inputs_reserved_bits, 1000u);
}

}  // namespace
}  // namespace guildhall::games::arena
