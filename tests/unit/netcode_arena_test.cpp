// client/netcode in a real game: the SDL arena client's model (examples/arena-sdl/arena_game.cpp, built on the
// SDK's predictor, interpolator and clock sync) against the real arena room (through arena_harness) and the
// room engine's input queue, across a scripted bad network: 150 ms round trip, up to 20 ms of jitter each way,
// 5% loss of snapshots and of input messages. The room has two bots, so the others move by themselves.
// Measured: the local fighter's prediction error (the predictor's own metric, distance between the prediction
// for tick T and the server's position at T) and the others' interpolation error (the drawn position against the
// server's true path at the render tick). The goal: mean prediction error under half a player width.
#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "arena_game.hpp"
#include "arena_harness.hpp"
#include "games/arena/arena_rules.hpp"
#include "services/rooms/input_queue.hpp"

namespace guildhall::arena_sdl {
namespace {

namespace arena = games::arena;
using arena::testing::arena_harness;

constexpr int kHz = 30;
constexpr double kTickMs = 1000.0 / kHz;
constexpr double kFrameMs = 1000.0 / 60;
constexpr double kOneWayMs = 75;
constexpr double kJitterMs = 20;
constexpr double kLoss = 0.05;

double quantized(double v) { return std::round(v / arena::kPositionStep) * arena::kPositionStep; }

// The snapshot a client would decode: the written world, positions on the wire's 1/16-unit grid.
world_view snapshot_of(const arena_harness& h) {
  world_view w;
  for (const auto& [id, e] : h.world.entities) {
    if (e.type != arena::kPlayerType) continue;
    w.players.push_back({.seat = int(e.fields[arena::kPseat]), .x = quantized(e.fields[arena::kPx]),
                         .y = quantized(e.fields[arena::kPy]), .angle = e.fields[arena::kPangle],
                         .health = int(e.fields[arena::kPhealth]), .alive = e.fields[arena::kPalive] != 0,
                         .score = int(e.fields[arena::kPscore]), .deaths = int(e.fields[arena::kPdeaths]),
                         .bot = e.fields[arena::kPbot] != 0});
  }
  return w;
}

struct in_flight_snapshot {
  double arrives_ms;
  std::uint32_t tick;
  world_view world;
};
struct in_flight_inputs {
  double arrives_ms;
  outgoing_inputs message;
};

TEST(NetcodeArena, PlayableAt150MsWithJitterAndLoss) {
  arena_harness h({{"bots", "2"}, {"seed", "5"}, {"duration", "600"}}, kHz);
  const auto me = arena::testing::person(0, 100);
  h.join(me);
  h.step();
  arena_game game(0, kHz);
  services::input_queue queue(4, arena::kInputBytes);
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> jitter(0, kJitterMs), chance(0, 1);
  std::deque<in_flight_snapshot> to_client;
  std::vector<in_flight_inputs> to_server;
  std::map<std::uint32_t, world_view> truth;  // tick -> the server's world, for the interpolation error
  double next_tick_ms = kTickMs, next_ping_ms = 500, interpolation_error_sum = 0;
  int interpolation_samples = 0;

  for (double now = 0; now < 30'000; now += kFrameMs) {
    while (next_tick_ms <= now) {  // the server's ticks due by this frame
      std::erase_if(to_server, [&](const in_flight_inputs& m) {
        if (m.arrives_ms > next_tick_ms) return false;
        for (const auto& f : m.message.frames) {
          const auto bytes = arena::encode_input(f.input);
          std::string data(bytes.begin(), bytes.end());
          queue.push(f.sequence, f.client_tick, f.view_tick, data);
        }
        return true;
      });
      for (const auto& q : queue.take()) {
        const auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(q.data.data()), q.data.size());
        h.arena->on_input(me, {q.sequence, q.client_tick, q.view_tick, bytes});
      }
      h.step();
      truth[h.context.tick_] = snapshot_of(h);
      if (chance(rng) >= kLoss) {
        to_client.push_back({next_tick_ms + kOneWayMs + jitter(rng), h.context.tick_, truth[h.context.tick_]});
      }
      next_tick_ms += kTickMs;
    }
    std::erase_if(to_client, [&](const in_flight_snapshot& s) {
      if (s.arrives_ms > now) return false;
      game.on_snapshot(s.tick, s.world, now);
      return true;
    });
    if (now >= next_ping_ms) {
      game.on_round_trip(2 * kOneWayMs + jitter(rng) + jitter(rng), now);
      next_ping_ms += 1000;
    }
    // Hold each of eight directions for 1.5 s in turn.
    static constexpr std::uint8_t kWays[] = {arena::kUp, arena::kUp | arena::kRight, arena::kRight,
                                             arena::kRight | arena::kDown, arena::kDown, arena::kDown | arena::kLeft,
                                             arena::kLeft, arena::kLeft | arena::kUp};
    const arena::arena_input controls{kWays[std::size_t(now / 1500) % 8], 0};
    if (auto out = game.step(now, controls); out && chance(rng) >= kLoss) {
      to_server.push_back({now + kOneWayMs + jitter(rng), std::move(*out)});
    }
    const auto frame = game.view(now);
    if (!frame || now < 3'000) continue;
    // Each other fighter drawn against where the server had it at the render tick.
    const auto a = truth.find(std::uint32_t(std::floor(frame->render_tick)));
    const auto b = truth.find(std::uint32_t(std::floor(frame->render_tick)) + 1);
    if (a == truth.end() || b == truth.end()) continue;
    const double t = frame->render_tick - std::floor(frame->render_tick);
    for (const auto& p : frame->shown.players) {
      const player_view* pa = find_seat(a->second, p.seat);
      const player_view* pb = find_seat(b->second, p.seat);
      if (!pa || !pb || !pa->alive || !pb->alive || !p.alive) continue;
      if (std::hypot(pb->x - pa->x, pb->y - pa->y) > 1) continue;  // a respawn between the two ticks
      interpolation_error_sum += std::hypot(p.x - (pa->x + (pb->x - pa->x) * t), p.y - (pa->y + (pb->y - pa->y) * t));
      ++interpolation_samples;
    }
  }

  const auto& prediction = game.prediction();
  ASSERT_GT(prediction.errors_measured, 500u);
  const double mean_prediction_error = prediction.error_sum / double(prediction.errors_measured);
  ASSERT_GT(interpolation_samples, 1000);
  const double mean_interpolation_error = interpolation_error_sum / interpolation_samples;
  std::printf("prediction: mean error %.3f units over %llu snapshots, %llu corrections, %llu snaps; "
              "interpolation: mean error %.3f units, delay %.0f ms, %llu underruns\n",
              mean_prediction_error, static_cast<unsigned long long>(prediction.errors_measured),
              static_cast<unsigned long long>(prediction.corrections), static_cast<unsigned long long>(prediction.snaps),
              mean_interpolation_error, game.interpolation_delay_ms(30'000),
              static_cast<unsigned long long>(game.interpolation().underruns));
  EXPECT_LT(mean_prediction_error, 0.5 * 2 * arena::kPlayerRadius);
  EXPECT_LT(mean_interpolation_error, 0.25);
  // 5% loss: the jitter buffer adds an interval, so only two losses in a row run it dry.
  EXPECT_LE(game.interpolation().underruns, 10u);
  EXPECT_EQ(prediction.snaps, 0u) << "a snap-back although nothing teleported the fighter";
}

}  // namespace
}  // namespace guildhall::arena_sdl
