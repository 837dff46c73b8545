// client/netcode: snapshot interpolation through the adaptive jitter buffer, with scripted arrivals: a body on a
// known path, snapshots sent every tick and delivered with a fixed latency plus seeded random jitter (so out of
// order whenever the jitter exceeds a tick), duplicates, and an outage.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <random>
#include <vector>

#include "guildhall/client/interpolation.hpp"

namespace guildhall::client {
namespace {

constexpr double kTickMs = 1000.0 / 30;
constexpr double kLatencyMs = 50;
constexpr double kFrameMs = 1000.0 / 60;

// The true path, in units, at a fractional tick: a curve, so a wrong render tick or bracket shows as an error.
double path(double tick) { return 10 * std::sin(tick * 0.05) + tick * 0.1; }

snapshot_interpolator<double> make() {
  interpolation_config config;
  config.tick_ms = kTickMs;
  return snapshot_interpolator<double>(config, [](double a, double b, double t) { return a + (b - a) * t; });
}

// Delivers every snapshot sent before `until_ms` (sent at tick * kTickMs, arriving after latency + jitter drawn
// from [0, jitter_ms]) and draws frames every kFrameMs between them. Returns the largest error seen past `warm_ms`;
// underruns past it are counted in `underruns_after_warm`.
struct scripted_link {
  explicit scripted_link(snapshot_interpolator<double>& i) : interp(i) {}
  snapshot_interpolator<double>& interp;
  std::mt19937 rng{7};
  std::uint64_t next_tick = 1;
  double now_ms = 0;
  std::vector<std::pair<double, std::uint64_t>> in_flight;  // arrival, tick
  double last_render = -1e9;
  bool render_went_back = false;
  std::uint64_t underruns_after_warm = 0;

  double loss = 0;  // share of snapshots never delivered

  double run(double until_ms, double jitter_ms, double warm_ms, bool duplicate_some = false) {
    std::uniform_real_distribution<double> jitter(0, jitter_ms), chance(0, 1);
    double worst = 0;
    std::optional<std::uint64_t> underruns_at_warm;
    for (; now_ms < until_ms; now_ms += kFrameMs) {
      if (now_ms >= warm_ms && !underruns_at_warm) underruns_at_warm = interp.stats().underruns;
      while (next_tick * kTickMs <= now_ms) {
        if (chance(rng) < loss) {
          ++next_tick;
          continue;
        }
        in_flight.push_back({next_tick * kTickMs + kLatencyMs + jitter(rng), next_tick});
        if (duplicate_some && next_tick % 7 == 0) in_flight.push_back({in_flight.back().first + 5, next_tick});
        ++next_tick;
      }
      std::erase_if(in_flight, [this](const auto& m) {
        if (m.first > now_ms) return false;
        interp.push(m.second, path(double(m.second)), m.first);
        return true;
      });
      const auto s = interp.sample(now_ms);
      if (!s) continue;
      if (s->render_tick < last_render - 1e-9) render_went_back = true;
      last_render = s->render_tick;
      const auto shown = interp.sample_state(now_ms);
      if (now_ms >= warm_ms) worst = std::max(worst, std::abs(*shown - path(s->render_tick)));
    }
    if (underruns_at_warm) underruns_after_warm += interp.stats().underruns - *underruns_at_warm;
    return worst;
  }
};

TEST(NetcodeInterpolation, JitteredArrivalsStillTraceTheTruePath) {
  auto interp = make();
  scripted_link link(interp);
  const double worst = link.run(10'000, 60, 1'000, true);
  // Linear blending of this curve between ticks is off by under 0.01 units; anything more is a wrong bracket.
  EXPECT_LT(worst, 0.01);
  EXPECT_EQ(link.underruns_after_warm, 0u);
  EXPECT_GT(interp.stats().late, 10u);  // 60 ms of jitter on 33 ms ticks reorders some
  EXPECT_GT(interp.stats().duplicates, 10u);
  EXPECT_FALSE(link.render_went_back);
  // The delay covers the jitter: mean lateness of uniform [0, 60] is 30 ms, so one interval + 2.5x that, and one
  // interval more since reordering this often reads as loss.
  EXPECT_GT(interp.clock().loss(), 0.01);
  EXPECT_GT(interp.clock().delay_ms(link.now_ms), 2 * kTickMs + 60);
  EXPECT_LT(interp.clock().delay_ms(link.now_ms), 2 * kTickMs + 95);
}

TEST(NetcodeInterpolation, TheDelayGrowsUnderJitterAndShrinksWhenItCalms) {
  auto interp = make();
  scripted_link link(interp);
  EXPECT_LT(link.run(3'000, 0, 1'000), 0.01);
  const double calm = interp.clock().delay_ms(link.now_ms);
  EXPECT_NEAR(calm, kTickMs, 1.0);  // no jitter: one interval behind the quickest arrival
  link.run(8'000, 60, 1e9);
  const double jittery = interp.clock().delay_ms(link.now_ms);
  EXPECT_GT(jittery, calm + 40) << jittery;
  EXPECT_LE(jittery, 8 * kTickMs);
  EXPECT_LT(link.run(18'000, 0, 14'000), 0.01);
  EXPECT_LT(interp.clock().delay_ms(link.now_ms), calm + 5);
  EXPECT_FALSE(link.render_went_back);
}

TEST(NetcodeInterpolation, LossAddsAnIntervalSoOneLostSnapshotIsNoUnderrun) {
  auto interp = make();
  scripted_link link(interp);
  link.run(3'000, 10, 1e9);
  const double clean = interp.clock().target_delay_ms();
  EXPECT_LT(interp.clock().loss(), 0.001);
  link.loss = 0.05;
  const double worst = link.run(33'000, 10, 6'000);
  EXPECT_NEAR(interp.clock().loss(), 0.05, 0.04);
  EXPECT_NEAR(interp.clock().target_delay_ms(), clean + kTickMs, 5);
  // Underruns now take two losses in a row (0.25% of ticks); blending across a gap is still on the path.
  EXPECT_LE(link.underruns_after_warm, 5u);
  EXPECT_LT(worst, 0.05);
  link.loss = 0;
  link.run(45'000, 10, 1e9);
  EXPECT_NEAR(interp.clock().target_delay_ms(), clean, 3);
}

TEST(NetcodeInterpolation, AnOutageExtrapolatesBrieflyAndCountsOneUnderrun) {
  auto interp = make();
  for (std::uint64_t tick = 1; tick <= 60; ++tick) {
    ASSERT_EQ(interp.push(tick, path(double(tick)), tick * kTickMs + kLatencyMs), push_result::newest);
  }
  const double last_arrival = 60 * kTickMs + kLatencyMs;
  const auto before = interp.sample(last_arrival);
  ASSERT_TRUE(before);
  EXPECT_FALSE(before->extrapolated);
  // Nothing for half a second: the render time passes tick 60 and motion continues at most 100 ms, then holds.
  for (double ms = 0; ms <= 500; ms += kFrameMs) interp.sample(last_arrival + ms);
  const auto dry = interp.sample(last_arrival + 500);
  ASSERT_TRUE(dry);
  EXPECT_TRUE(dry->extrapolated);
  EXPECT_EQ(dry->to_tick, 60u);
  EXPECT_EQ(dry->from_tick, 59u);
  EXPECT_NEAR(dry->t, 1 + 100 / kTickMs, 1e-9);
  EXPECT_EQ(interp.stats().underruns, 1u);
  // Snapshots come back: interpolation resumes, and a second outage is a second underrun.
  for (std::uint64_t tick = 61; tick <= 90; ++tick) interp.push(tick, path(double(tick)), last_arrival + 500);
  EXPECT_FALSE(interp.sample(last_arrival + 510)->extrapolated);
  interp.sample(last_arrival + 2'000);
  EXPECT_EQ(interp.stats().underruns, 2u);
}

TEST(NetcodeInterpolation, OrderDuplicatesAndTheBound) {
  auto interp = make();
  EXPECT_FALSE(interp.sample(0).has_value());
  EXPECT_EQ(interp.push(10, 1.0, 0), push_result::newest);
  EXPECT_EQ(interp.push(12, 3.0, 1), push_result::newest);
  EXPECT_EQ(interp.push(11, 2.0, 2), push_result::late);
  EXPECT_EQ(interp.push(11, 9.0, 3), push_result::duplicate);
  ASSERT_NE(interp.at(11), nullptr);
  EXPECT_EQ(*interp.at(11), 2.0);
  for (std::uint64_t tick = 13; tick < 13 + kMaxBufferedSnapshots; ++tick) interp.push(tick, double(tick), 4);
  EXPECT_EQ(interp.size(), kMaxBufferedSnapshots);
  EXPECT_EQ(interp.at(10), nullptr);
  EXPECT_EQ(interp.push(5, 0.0, 5), push_result::too_old);
  EXPECT_EQ(interp.stats().too_old, 1u);
  interp.reset();
  EXPECT_EQ(interp.size(), 0u);
  EXPECT_FALSE(interp.newest_tick().has_value());
}

TEST(NetcodeInterpolation, ConfigValidates) {
  EXPECT_FALSE(interpolation_config{}.validate().has_value());
  interpolation_config bad;
  bad.tick_ms = 0;
  EXPECT_TRUE(bad.validate().has_value());
  bad = {};
  bad.max_slew = 1;
  EXPECT_TRUE(bad.validate().has_value());
  bad = {};
  bad.capacity = kMaxBufferedSnapshots + 1;
  EXPECT_TRUE(bad.validate().has_value());
  bad = {};
  bad.min_delay_intervals = 3;  // above the initial 2
  EXPECT_TRUE(bad.validate().has_value());
}

}  // namespace
}  // namespace guildhall::client
