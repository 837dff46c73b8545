// services::tick_schedule with injected time: drift-free, late ticks run and counted, bounded catch-up, stalls.
#include "services/rooms/tick_schedule.hpp"

#include <gtest/gtest.h>

#include <array>

namespace guildhall::services {
namespace {

TEST(RoomTickSchedule, TicksAreDueFromTheStartNotFromTheLastTick) {
  tick_schedule schedule(1'000'000, 30);
  EXPECT_EQ(schedule.next_tick(), 1u);
  EXPECT_EQ(schedule.next_due_us(), 1'000'000 + 33'333);
  // Tick n is due at start + n * 1e6 / 30 exactly: after 30 ticks, one second, no rounding drift.
  EXPECT_EQ(schedule.due_us(30), 2'000'000);
  EXPECT_EQ(schedule.due_us(3000), 101'000'000);
}

TEST(RoomTickSchedule, NothingIsDueEarly) {
  tick_schedule schedule(0, 20);
  schedule.begin_wake(49'999);
  EXPECT_FALSE(schedule.take(49'999));
  schedule.begin_wake(50'000);
  const auto due = schedule.take(50'000);
  ASSERT_TRUE(due);
  EXPECT_EQ(due->tick, 1u);
  EXPECT_EQ(due->late_us, 0);
  EXPECT_FALSE(due->late);
  EXPECT_FALSE(schedule.take(50'000));
}

// A room whose every tick takes 45 ms at 20 Hz (50 ms period) with a timer that wakes exactly when asked: the
// schedule keeps to start + n * period, so after 100 ticks it is exactly where it should be, not 100 * (45 + x).
TEST(RoomTickSchedule, StaysDriftFreeUnderASlowTick) {
  tick_schedule schedule(0, 20);
  std::int64_t now = 0;
  for (int i = 0; i < 100; ++i) {
    now = std::max(now, schedule.next_due_us());  // the timer wakes at the due time (or now, when already past)
    schedule.begin_wake(now);
    const auto due = schedule.take(now);
    ASSERT_TRUE(due) << i;
    now += 45'000;  // the tick's work
  }
  EXPECT_EQ(schedule.next_tick(), 101u);
  EXPECT_EQ(schedule.next_due_us(), 101 * 50'000);
  EXPECT_EQ(schedule.late_ticks(), 0u);  // slow, but never late: each started on time
  EXPECT_EQ(schedule.ticks_run(), 100u);
}

// Ticks of 70 ms at 20 Hz cannot keep up: each starts later than the last; every late one is run and counted,
// none skipped (tick numbers stay consecutive).
TEST(RoomTickSchedule, LateTicksAreRunAndCountedNeverSkipped) {
  tick_schedule schedule(0, 20);
  std::int64_t now = 50'000;
  std::uint32_t expected = 1;
  for (int wake = 0; wake < 20; ++wake) {
    schedule.begin_wake(now);
    while (const auto due = schedule.take(now)) {
      EXPECT_EQ(due->tick, expected++);
      now += 70'000;
    }
    now = std::max(now, schedule.next_due_us());
  }
  EXPECT_GT(schedule.late_ticks(), 10u);
  EXPECT_EQ(schedule.ticks_run(), expected - 1);
  EXPECT_GT(schedule.max_late_us(), 100'000);
}

TEST(RoomTickSchedule, CatchUpIsBoundedPerWake) {
  tick_schedule schedule(0, 100);  // 10 ms period
  schedule.begin_wake(95'000);     // 9 ticks due
  int ran = 0;
  while (const auto due = schedule.take(95'000)) {
    EXPECT_TRUE(due->late || due->tick == 9);
    ++ran;
  }
  EXPECT_EQ(ran, tick_schedule::kMaxCatchUpTicks);
  schedule.begin_wake(95'000);  // the next wake-up runs the next ones
  EXPECT_TRUE(schedule.take(95'000));
}

TEST(RoomTickSchedule, ALongPauseIsOneStallNotABurst) {
  tick_schedule schedule(0, 30);
  schedule.begin_wake(40'000);
  ASSERT_TRUE(schedule.take(40'000));
  const std::int64_t resumed = 10'000'000;  // ten seconds later (the process was stopped)
  schedule.begin_wake(resumed);
  EXPECT_EQ(schedule.stalls(), 1u);
  const auto due = schedule.take(resumed);
  ASSERT_TRUE(due);
  EXPECT_EQ(due->tick, 2u);
  EXPECT_EQ(due->late_us, 0);
  EXPECT_FALSE(schedule.take(resumed));
  EXPECT_NEAR(static_cast<double>(schedule.next_due_us()), static_cast<double>(resumed + 33'333), 1.0);
}

TEST(RoomTickSchedule, RateIsClampedTo1To128) {
  EXPECT_EQ(tick_schedule(0, 0).tick_hz(), 1);
  EXPECT_EQ(tick_schedule(0, 1000).tick_hz(), 128);
}

TEST(RoomTickSchedule, RoomsCreatedTogetherStartSpreadThroughThePeriod) {
  // 100 rooms created in the same microsecond: their first ticks fall all over the 50 ms period, never two in the
  // same tenth of it more than a handful of times, and none waits a whole period or starts in the past.
  constexpr std::int64_t now = 7'000'123;
  constexpr std::int64_t period = 50'000;
  std::array<int, 10> per_tenth{};
  for (std::uint64_t id = 1; id <= 100; ++id) {
    const std::int64_t start = tick_schedule::spread_start(now, 20, id * 2 + 1);
    ASSERT_GE(start, now);
    ASSERT_LT(start, now + period);
    ++per_tenth[static_cast<std::size_t>((start - now) * 10 / period)];
    EXPECT_EQ(start, tick_schedule::spread_start(now, 20, id * 2 + 1)) << "the same key gives the same phase";
  }
  for (const int n : per_tenth) {
    EXPECT_GE(n, 7);
    EXPECT_LE(n, 13);
  }
  // The phase is the key's, whenever the room is made: the same key a few periods later has the same phase.
  EXPECT_EQ((tick_schedule::spread_start(now, 20, 42) - tick_schedule::spread_start(now + 3 * period + 17, 20, 42)) %
                period,
            0);
}

}  // namespace
}  // namespace guildhall::services
