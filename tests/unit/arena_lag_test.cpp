// games/arena: lag compensation. A shot is tested against the others as they were at the shooter's view tick,
// at most kMaxRewindMs back: the pure pieces (rewind_tick, lag_history, trace_shot), then through the room.
#include <gtest/gtest.h>

#include <vector>

#include "arena_harness.hpp"
#include "games/arena/hitscan.hpp"
#include "games/arena/lag_history.hpp"

namespace guildhall::games::arena {
namespace {

using testing::aim_at;
using testing::arena_harness;
using testing::person;

TEST(ArenaLagCompensation, TheRewindWindowIs200Milliseconds) {
  EXPECT_EQ(max_rewind_ticks(30), 6);
  EXPECT_EQ(max_rewind_ticks(20), 4);
  EXPECT_EQ(max_rewind_ticks(128), 25);
  EXPECT_EQ(max_rewind_ticks(1), 0);
}

TEST(ArenaLagCompensation, ViewTicksAreClampedToTheWindowAndNeverTheFuture) {
  EXPECT_EQ(rewind_tick(97, 100, 30), 97u);
  EXPECT_EQ(rewind_tick(94, 100, 30), 94u);
  EXPECT_EQ(rewind_tick(93, 100, 30), 94u);
  EXPECT_EQ(rewind_tick(0, 100, 30), 94u);
  EXPECT_EQ(rewind_tick(100, 100, 30), 100u);
  EXPECT_EQ(rewind_tick(5000, 100, 30), 100u);
  EXPECT_EQ(rewind_tick(0, 3, 30), 0u);  // early in a room: as far back as there is
}

TEST(ArenaLagCompensation, HistoryKeepsExactlyTheWindow) {
  lag_history history(30);
  EXPECT_EQ(history.capacity(), 7u);
  for (std::uint32_t tick = 1; tick <= 20; ++tick) {
    history_frame frame{};
    frame[0] = {{double(tick), 1}, 1, true, true};
    history.record(tick, frame);
  }
  for (std::uint32_t tick = 14; tick <= 20; ++tick) {
    ASSERT_NE(history.at(tick), nullptr) << tick;
    EXPECT_EQ((*history.at(tick))[0].position.x, double(tick));
  }
  EXPECT_EQ(history.at(13), nullptr);
  EXPECT_EQ(history.at(21), nullptr);
}

TEST(ArenaLagCompensation, AShotHitsTheNearestBodyBeforeAWall) {
  const arena_map& map = yard_map();
  const std::vector<shot_target> targets{{1, {28, 11}}, {2, {24, 11}}, {3, {24, 13}}};
  const shot_result hit = trace_shot(map, {18, 11}, 0, targets);
  ASSERT_TRUE(hit.victim);
  EXPECT_EQ(*hit.victim, 2);
  EXPECT_NEAR(hit.end.x, 24 - kHitRadius, 1e-9);
  // Behind the block in the middle nobody is hit; the tracer stops at the wall.
  const std::vector<shot_target> hidden{{1, {30, 16}}};
  const shot_result blocked = trace_shot(map, {18, 16}, 0, hidden);
  EXPECT_FALSE(blocked.victim);
  EXPECT_NEAR(blocked.end.x, 21, 1e-9);
  // Out of range.
  const std::vector<shot_target> far{{1, {18 + kShotRange + 1, 11}}};
  EXPECT_FALSE(trace_shot(map, {18, 11}, 0, far).victim);
}

// Ann stands still at (17, 3); Bob runs right along y = 11 in the open. Ann's view of Bob is `lag` ticks old.
class ArenaRewind : public ::testing::Test {
 protected:
  void SetUp() override {
    h.join(ann);
    h.join(bob);
    h.step();
    ASSERT_TRUE(h.arena->place(0, {17, 3}));
    ASSERT_TRUE(h.arena->place(1, {17, 11}));
    for (int i = 0; i < 30; ++i) run_bob();  // up to full speed, ending near x = 22
  }

  void run_bob() {
    h.input(bob, kRight);
    h.step();
    seen[h.context.tick_] = h.position(1);
  }

  // Ann fires at where Bob was at `aim_tick`, claiming to view the world as of `view_tick`; one tick later, is
  // Bob hit?
  bool shot_hits(std::uint32_t aim_tick, std::uint32_t view_tick) {
    const vec2 target = seen.at(aim_tick);
    EXPECT_TRUE(line_of_sight(yard_map(), {17, 3}, target));
    h.input(ann, kFire, aim_at({17, 3}, target), view_tick);
    const auto hits = h.arena->stats().hits;
    run_bob();
    EXPECT_EQ(h.arena->stats().shots, ++shots);
    return h.arena->stats().hits > hits;
  }

  arena_harness h;
  room_member ann = person(0, 1, "ann"), bob = person(1, 2, "bob");
  std::map<std::uint32_t, vec2> seen;
  std::uint64_t shots = 0;
};

TEST_F(ArenaRewind, AShotAimedWhereTheTargetWasAtTheViewTickHits) {
  const std::uint32_t now = h.context.tick_;
  // Four ticks of lag (five by the time the shot runs): Bob has since moved about a unit.
  EXPECT_TRUE(shot_hits(now - 4, now - 4));
}

TEST_F(ArenaRewind, WithoutTheRewindTheSameShotMisses) {
  const std::uint32_t now = h.context.tick_;
  EXPECT_FALSE(shot_hits(now - 4, now + 1));  // claims to see the present: tested against the present
}

TEST_F(ArenaRewind, AViewOlderThan200MillisecondsIsClampedToTheWindow) {
  const std::uint32_t now = h.context.tick_;
  // Aimed at where Bob was 20 ticks ago, claiming that old a view: clamped to 6 ticks back, it misses.
  EXPECT_FALSE(shot_hits(now - 19, now - 19));
  for (int i = 0; i < 8; ++i) run_bob();  // past the cool-down
  // The shot runs at tick now2 + 1, and the window reaches back to now2 + 1 - 6: aimed there, it hits.
  const std::uint32_t now2 = h.context.tick_;
  EXPECT_TRUE(shot_hits(now2 + 1 - 6, now2 - 19));
}

TEST_F(ArenaRewind, WhoeverTakesTheSeatOfSomeoneWhoLeftCannotBeHitWhereTheyWere) {
  const std::uint32_t now = h.context.tick_;
  h.arena->on_leave(bob, leave_kind::left);
  h.join(person(1, 3, "carl"));
  h.input(ann, kFire, aim_at({17, 3}, seen.at(now - 2)), now - 2);
  h.step();
  EXPECT_EQ(h.arena->stats().shots, 1u);
  EXPECT_EQ(h.arena->stats().hits, 0u);
}

}  // namespace
}  // namespace guildhall::games::arena
