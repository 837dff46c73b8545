// client/netcode: the server tick estimated from snapshot arrivals and round trips, against a scripted link whose
// truth is known: the local clock is the server's plus an offset (and, in one test, running 200 ppm fast), each
// direction takes 75 ms plus seeded jitter, and some packets are held back by queueing spikes.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "guildhall/client/clock_sync.hpp"

namespace guildhall::client {
namespace {

constexpr double kTickMs = 1000.0 / 30;
constexpr double kOffsetMs = 12'345;  // local = server + this
constexpr double kOneWayMs = 75;

struct scripted_link {
  explicit scripted_link(clock_sync& c, double r = 1.0) : clock(c), rate(r) {}
  clock_sync& clock;
  double rate = 1.0;  // local clock speed against the server's
  std::mt19937 rng{11};
  std::uniform_real_distribution<double> jitter{0, 20};
  std::uint64_t tick = 0;
  std::uint64_t renumbered = 0;  // added to the ticks the server reports, not to its time

  double local_at(double server_ms) const { return kOffsetMs + server_ms * rate; }
  double true_tick(double local_ms) const { return (local_ms - kOffsetMs) / rate / kTickMs; }

  // Runs `ticks` server ticks: a snapshot each, a ping every 10; `spike(tick)` extra ms of queueing.
  template <class Spike>
  void run(std::uint64_t ticks, Spike spike) {
    for (std::uint64_t end = tick + ticks; tick < end;) {
      ++tick;
      const double sent = double(tick) * kTickMs;
      clock.on_snapshot(tick + renumbered, local_at(sent + kOneWayMs + jitter(rng) + spike(tick)));
      if (tick % 10 == 0) {
        const double rtt = 2 * kOneWayMs + jitter(rng) + jitter(rng) + spike(tick + 1);
        clock.on_round_trip(rtt, local_at(sent + rtt));
      }
    }
  }
  void run(std::uint64_t ticks) {
    run(ticks, [](std::uint64_t) { return 0.0; });
  }
};

TEST(NetcodeClockSync, ConvergesWithinATickUnderJitter) {
  clock_sync clock({.tick_ms = kTickMs});
  EXPECT_FALSE(clock.server_tick_at(0).has_value());
  EXPECT_FALSE(clock.input_tick(0).has_value());
  scripted_link link(clock);
  link.run(150);
  const double now = link.local_at(150 * kTickMs + 40);
  ASSERT_TRUE(clock.server_tick_at(now));
  EXPECT_NEAR(*clock.server_tick_at(now), link.true_tick(now), 0.3);
  EXPECT_NEAR(*clock.offset_ms(), kOffsetMs, 10);
  EXPECT_NEAR(clock.min_rtt_ms(), 150, 15);
}

TEST(NetcodeClockSync, SpikesDoNotPullTheEstimate) {
  clock_sync clock({.tick_ms = kTickMs});
  scripted_link link(clock);
  link.run(90);
  const double before = *clock.offset_ms();
  // A burst: 20 ticks in a row queued 300 ms, and then every fifth packet 500 ms late for three seconds.
  link.run(20, [](std::uint64_t) { return 300.0; });
  link.run(90, [](std::uint64_t t) { return t % 5 == 0 ? 500.0 : 0.0; });
  EXPECT_NEAR(*clock.offset_ms(), before, 10);
  const double now = link.local_at(200 * kTickMs);
  EXPECT_NEAR(*clock.server_tick_at(now), link.true_tick(now), 0.5);
}

TEST(NetcodeClockSync, FollowsADriftingClock) {
  clock_sync clock({.tick_ms = kTickMs});
  scripted_link link(clock, 1.0002);  // 200 ppm: 12 ms a minute
  link.run(30 * 120);                 // two minutes
  const double now = link.local_at(double(link.tick) * kTickMs);
  EXPECT_NEAR(*clock.server_tick_at(now), link.true_tick(now), 1.0);
}

TEST(NetcodeClockSync, InputsAreStampedToArriveJustInTime) {
  clock_sync clock({.tick_ms = kTickMs});
  scripted_link link(clock);
  link.run(150);
  for (double server_ms = 150 * kTickMs; server_ms < 160 * kTickMs; server_ms += 7) {
    const double local = link.local_at(server_ms);
    const auto stamp = clock.input_tick(local);
    ASSERT_TRUE(stamp);
    // Sent now, it reaches the server at most 95 ms later: before its tick, but not by more than a few ticks.
    const double arrives_tick = (server_ms + kOneWayMs + 20) / kTickMs;
    EXPECT_GT(double(*stamp), arrives_tick);
    EXPECT_LT(double(*stamp), arrives_tick + 5);
  }
}

TEST(NetcodeClockSync, ATickJumpRestartsTheEstimate) {
  clock_sync clock({.tick_ms = kTickMs});
  scripted_link link(clock);
  link.run(60);
  link.renumbered = 3'000;  // the ticks jump 100 s ahead (the room was replaced on a restarted server)
  link.run(5);
  EXPECT_EQ(clock.resyncs(), 1u);
  const double now = link.local_at(double(link.tick) * kTickMs);
  EXPECT_NEAR(*clock.server_tick_at(now), double(link.tick + 3'000), 2);
}

TEST(NetcodeClockSync, IgnoresNonsenseAndValidates) {
  clock_sync clock;
  clock.on_round_trip(-5, 0);
  clock.on_round_trip(std::nan(""), 0);
  EXPECT_EQ(clock.min_rtt_ms(), 0);
  clock.on_snapshot(1, std::nan(""));
  EXPECT_FALSE(clock.synchronized());
  EXPECT_FALSE(clock_sync_config{}.validate().has_value());
  EXPECT_TRUE(clock_sync_config{.tick_ms = 0}.validate().has_value());
  EXPECT_TRUE(clock_sync_config{.window_ms = -1}.validate().has_value());
}

}  // namespace
}  // namespace guildhall::client
