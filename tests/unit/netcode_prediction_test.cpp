// client/netcode: prediction with reconciliation against a scripted server 150 ms of round trip away. The server
// runs the same step as the client (the arena's motion rule in one test), applies each input at its first tick
// after it arrives, and sends the player's state with the last input applied, which the client sees 75 ms later.
#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <vector>

#include "games/arena/arena_map.hpp"
#include "games/arena/motion.hpp"
#include "guildhall/client/prediction.hpp"

namespace guildhall::client {
namespace {

constexpr double kTickMs = 1000.0 / 30;
constexpr double kDt = kTickMs / 1000;
constexpr double kOneWayMs = 75;  // 150 ms round trip

struct body {
  double x = 0, y = 0;
};
struct stick {
  double vx = 0, vy = 0;  // units/s
};

prediction_model<body, stick> plain_model() {
  return {
      [](const body& b, const stick& s, double dt) { return body{b.x + s.vx * dt, b.y + s.vy * dt}; },
      [](const body& a, const body& b) { return std::hypot(a.x - b.x, a.y - b.y); },
      [](const body& a, const body& b, double t) { return body{a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}; },
  };
}

// The server side and the wire between: inputs in flight, states in flight, one authoritative body.
struct scripted_server {
  struct input_msg {
    double arrives_ms;
    std::uint64_t sequence;
    stick input;
  };
  struct state_msg {
    double arrives_ms;
    body state;
    std::uint64_t last_processed;
  };
  body state;
  std::uint64_t last_processed = 0;
  std::deque<input_msg> to_server;
  std::deque<state_msg> to_client;

  void send(std::uint64_t sequence, stick input, double now_ms) {
    to_server.push_back({now_ms + kOneWayMs, sequence, input});
  }
  // One server tick at `now_ms`: every input that has arrived, in order, then a state for the client.
  void tick(double now_ms) {
    while (!to_server.empty() && to_server.front().arrives_ms <= now_ms) {
      const auto& m = to_server.front();
      state = body{state.x + m.input.vx * kDt, state.y + m.input.vy * kDt};
      last_processed = m.sequence;
      to_server.pop_front();
    }
    to_client.push_back({now_ms + kOneWayMs, state, last_processed});
  }
};

// Runs `frames` client frames of one tick each; the server ticks half a tick out of phase with the client.
// `meddle(server, frame)` may move the server's body (what the client cannot predict). Returns every result.
template <class Meddle>
std::vector<reconcile_result> run(predictor<body, stick>& p, scripted_server& server, int from, int frames,
                                  stick input, Meddle meddle) {
  std::vector<reconcile_result> results;
  for (int i = from; i < from + frames; ++i) {
    const double now = i * kTickMs;
    meddle(server, i);
    server.tick(now - kTickMs / 2);
    while (!server.to_client.empty() && server.to_client.front().arrives_ms <= now) {
      const auto m = server.to_client.front();
      server.to_client.pop_front();
      if (m.last_processed > 0) results.push_back(p.reconcile(m.state, m.last_processed, now));
    }
    const auto sequence = std::uint64_t(i + 1);
    EXPECT_TRUE(p.apply(sequence, input, kDt));
    server.send(sequence, input, now);
  }
  return results;
}

TEST(NetcodePrediction, AMovingBodyShowsNoErrorWhileTheServerAgrees) {
  predictor<body, stick> p(plain_model(), body{});
  scripted_server server;
  const auto results = run(p, server, 0, 90, stick{3, -1}, [](scripted_server&, int) {});
  ASSERT_GT(results.size(), 70u);
  for (const auto& r : results) {
    EXPECT_EQ(r.what, reconcile_result::outcome::agreed);
    ASSERT_TRUE(r.error.has_value());
    EXPECT_EQ(*r.error, 0.0);
  }
  EXPECT_EQ(p.stats().corrections, 0u);
  // 150 ms of round trip at 30 inputs/s: about five inputs are never yet acknowledged.
  EXPECT_GE(p.pending().size(), 4u);
  EXPECT_LE(p.pending().size(), 7u);
  EXPECT_NEAR(p.state().x, 90 * 3 * kDt, 1e-9);
  EXPECT_NEAR(p.shown(90 * kTickMs).x, p.state().x, 1e-12);
}

TEST(NetcodePrediction, ADisagreementIsMeasuredReplayedAndSmoothed) {
  predictor<body, stick> p(plain_model(), body{});
  scripted_server server;
  run(p, server, 0, 30, stick{3, 0}, [](scripted_server&, int) {});
  // The server's body is pushed 0.8 units up (a knock-back the client could not foresee).
  const auto results = run(p, server, 30, 1, stick{3, 0}, [](scripted_server& s, int) { s.state.y += 0.8; });
  EXPECT_TRUE(results.empty() || results.front().what == reconcile_result::outcome::agreed);
  std::vector<reconcile_result> corrected;
  int frame = 31;
  while (corrected.empty() && frame < 45) {
    const double before = p.shown(frame * kTickMs).y;
    for (const auto& r : run(p, server, frame, 1, stick{3, 0}, [](scripted_server&, int) {})) {
      if (r.what != reconcile_result::outcome::agreed) {
        corrected.push_back(r);
        // At the moment of correction nothing moves on screen (the body moves in x only).
        EXPECT_NEAR(p.shown(frame * kTickMs).y, before, 1e-9);
      }
    }
    ++frame;
  }
  ASSERT_EQ(corrected.size(), 1u);
  EXPECT_EQ(corrected[0].what, reconcile_result::outcome::corrected);
  EXPECT_NEAR(*corrected[0].error, 0.8, 1e-9);
  EXPECT_GE(corrected[0].replayed, 4u);
  EXPECT_NEAR(p.state().y, 0.8, 1e-9);  // the prediction now starts from the server's truth
  // What is shown glides: about e^-1 of the jump is left after 100 ms, nothing after half a second.
  const double t0 = (frame - 1) * kTickMs;
  EXPECT_NEAR(p.shown(t0 + 100).y, 0.8 * (1 - std::exp(-1.0)), 0.02);
  double last = p.shown(t0).y;
  for (double ms = 10; ms <= 500; ms += 10) {
    const double y = p.shown(t0 + ms).y;
    EXPECT_GE(y, last - 1e-12) << ms;
    last = y;
  }
  EXPECT_NEAR(p.shown(t0 + 500).y, 0.8, 1e-12);
  // Later states agree again: one correction, no more.
  for (const auto& r : run(p, server, frame, 30, stick{3, 0}, [](scripted_server&, int) {})) {
    EXPECT_EQ(r.what, reconcile_result::outcome::agreed);
  }
  EXPECT_EQ(p.stats().corrections, 1u);
  EXPECT_EQ(p.stats().snaps, 0u);
}

TEST(NetcodePrediction, ABigJumpSnaps) {
  predictor<body, stick> p(plain_model(), body{});
  scripted_server server;
  run(p, server, 0, 30, stick{3, 0}, [](scripted_server&, int) {});
  // A respawn across the map.
  run(p, server, 30, 10, stick{3, 0}, [](scripted_server& s, int i) {
    if (i == 30) s.state = body{40, 20};
  });
  EXPECT_EQ(p.stats().snaps, 1u);
  EXPECT_EQ(p.stats().corrections, 1u);
  EXPECT_NEAR(p.stats().last_error, 0.0, 1e-9);  // the states after the snap agree again
  const body shown = p.shown(40 * kTickMs);
  EXPECT_EQ(shown.x, p.state().x);
  EXPECT_EQ(shown.y, 20.0);
}

TEST(NetcodePrediction, TheArenaRuleAgreesWithItselfAlongAWall) {
  using games::arena::step_body;
  using games::arena::vec2;
  const auto& map = games::arena::yard_map();
  prediction_model<games::arena::body, vec2> model{
      [&map](const games::arena::body& b, const vec2& wish, double dt) { return step_body(map, b, wish, dt); },
      [](const games::arena::body& a, const games::arena::body& b) {
        return std::hypot(a.position.x - b.position.x, a.position.y - b.position.y);
      },
      {}};
  games::arena::body start{{3, 3}, {0, 0}};
  predictor<games::arena::body, vec2> p(model, start);
  games::arena::body server = start;
  std::deque<std::pair<std::uint64_t, vec2>> in_flight;
  // Run into the bottom edge diagonally (sliding along it) with five ticks of inputs unacknowledged.
  for (std::uint64_t seq = 1; seq <= 60; ++seq) {
    const vec2 wish{0.7071, -0.7071};
    ASSERT_TRUE(p.apply(seq, wish, kDt));
    in_flight.push_back({seq, wish});
    if (in_flight.size() > 5) {
      server = step_body(map, server, in_flight.front().second, kDt);
      const auto r = p.reconcile(server, in_flight.front().first, seq * kTickMs);
      EXPECT_EQ(r.what, reconcile_result::outcome::agreed);
      EXPECT_EQ(*r.error, 0.0);
      in_flight.pop_front();
    }
  }
  EXPECT_NEAR(p.state().position.y, 0.5, 1e-9);  // held at a radius from the edge
}

TEST(NetcodePrediction, HistoryIsBoundedAndSequencesOnlyGrow) {
  predictor<body, stick> p(plain_model(), body{});
  for (std::uint64_t seq = 1; seq <= 200; ++seq) ASSERT_TRUE(p.apply(seq, stick{1, 0}, kDt));
  EXPECT_EQ(p.pending().size(), kMaxPendingInputs);
  EXPECT_EQ(p.stats().history_overflows, 200 - kMaxPendingInputs);
  EXPECT_EQ(p.pending().front().sequence, 200 - kMaxPendingInputs + 1);
  EXPECT_FALSE(p.apply(200, stick{1, 0}, kDt));
  EXPECT_FALSE(p.apply(7, stick{1, 0}, kDt));
  EXPECT_EQ(p.stats().refused_inputs, 2u);
  // An acknowledgement older than the history cannot be compared: rebased and replayed, not measured.
  const auto r = p.reconcile(body{50, 0}, 10, 0);
  EXPECT_EQ(r.what, reconcile_result::outcome::rebased);
  EXPECT_FALSE(r.error.has_value());
  EXPECT_EQ(r.replayed, kMaxPendingInputs);
  EXPECT_NEAR(p.state().x, 50 + kMaxPendingInputs * kDt, 1e-9);
  // An acknowledgement going backwards is stale; one from the future rebases with nothing to replay.
  EXPECT_EQ(p.reconcile(body{}, 9, 0).what, reconcile_result::outcome::stale);
  const auto ahead = p.reconcile(body{7, 7}, 500, 0);
  EXPECT_EQ(ahead.what, reconcile_result::outcome::rebased);
  EXPECT_EQ(ahead.replayed, 0u);
  EXPECT_TRUE(p.pending().empty());
  EXPECT_FALSE(p.apply(500, stick{}, kDt));
  EXPECT_TRUE(p.apply(501, stick{}, kDt));
}

TEST(NetcodePrediction, ConfigValidates) {
  EXPECT_FALSE(prediction_config{}.validate().has_value());
  prediction_config bad;
  bad.max_pending_inputs = 0;
  EXPECT_TRUE(bad.validate().has_value());
  bad = {};
  bad.smoothing_ms = -1;
  EXPECT_TRUE(bad.validate().has_value());
  bad = {};
  bad.snap_distance = std::nan("");
  EXPECT_TRUE(bad.validate().has_value());
}

}  // namespace
}  // namespace guildhall::client
