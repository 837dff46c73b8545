#pragma once
// The arena client's network model, without SDL or sockets (every call takes `now_ms` on one steady clock): the
// C++ counterpart of sdk/js/src/arena_net.ts, built on the SDK's netcode helpers.
// - The local fighter is predicted with guildhall::client::predictor running the server's own movement rule
//   (src/games/arena/motion.cpp). Inputs are keyed by the server tick they are stamped for (client_tick), so a
//   snapshot of tick T is the server's answer for the input of T: "last input processed = T".
// - Everyone else is drawn through guildhall::client::snapshot_interpolator (adaptive jitter buffer).
// - guildhall::client::clock_sync turns snapshot arrivals and Ping round trips into the tick to stamp inputs with:
//   the server applies an input at its first tick after the input arrives (services/rooms/input_queue.hpp).
// - step() offers each input in kInputCopies messages (at most kMaxInputsPerMessage inputs each) until a snapshot
//   at or past its tick arrives (docs/protocol.md, "The room flow"): what a transport without the SDK needs (the
//   unit test's scripted wire). Over the SDK, arena_connection sends each input once, by its sequence, and
//   client::send_room_input repeats it in the next messages itself.
// Thread-safety: none; the game loop's thread.
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include <guildhall/client/clock_sync.hpp>
#include <guildhall/client/interpolation.hpp>
#include <guildhall/client/prediction.hpp>

#include "arena_world.hpp"
#include "games/arena/arena_input.hpp"
#include "games/arena/motion.hpp"

namespace guildhall::arena_sdl {

inline constexpr int kInputCopies = 3;
inline constexpr std::size_t kMaxInputsPerMessage = 8;  // the server refuses more
// After a longer stall (the window was dragged, the machine slept) prediction restarts at the present instead
// of simulating every missed tick at once.
inline constexpr std::uint32_t kMaxCatchUpTicks = 8;

struct input_frame {
  std::uint32_t sequence = 0;
  std::uint32_t client_tick = 0;  // the tick this input is predicted for
  std::uint32_t view_tick = 0;    // the tick the player was looking at (lag compensation rewinds to it)
  games::arena::arena_input input;
};

struct outgoing_inputs {
  std::uint32_t ack_tick = 0;
  std::vector<input_frame> frames;
};

// What to draw at one moment.
struct arena_frame {
  world_view shown;                  // others interpolated; shots from the snapshot nearest the render tick
  std::optional<player_view> me;     // the local fighter: predicted (smoothed) while alive
  const world_view* newest = nullptr;  // scores and the match clock: the newest snapshot
  double render_tick = 0;
};

class arena_game {
 public:
  // `seat` < 0: a spectator (nothing predicted, no inputs, acknowledgements only).
  arena_game(int seat, int tick_hz);

  void on_snapshot(std::uint32_t tick, const world_view& world, double now_ms);
  void on_round_trip(double rtt_ms, double now_ms);
  // Advances prediction to the input tick of `now_ms` with `controls` held; the message to send, if any.
  std::optional<outgoing_inputs> step(double now_ms, const games::arena::arena_input& controls);
  std::optional<arena_frame> view(double now_ms);

  std::uint32_t newest_tick() const { return newest_tick_; }
  const client::prediction_stats& prediction() const { return predictor_.stats(); }
  const client::interpolation_stats& interpolation() const { return interpolator_.stats(); }
  double interpolation_delay_ms(double now_ms) const { return interpolator_.clock().delay_ms(now_ms); }
  const client::clock_sync& clock() const { return clock_; }

 private:
  struct pending_send {
    input_frame frame;
    int copies = 0;
  };
  void reconcile(std::uint32_t tick, const world_view& world, double now_ms);

  int seat_;
  double tick_s_;
  client::predictor<games::arena::body, games::arena::arena_input> predictor_;
  client::snapshot_interpolator<world_view> interpolator_;
  client::clock_sync clock_;
  world_view newest_;
  std::uint32_t newest_tick_ = 0;
  std::uint32_t acked_sent_ = 0;
  std::optional<std::uint32_t> predicted_tick_;
  bool alive_ = false;  // seen alive since the last death: prediction runs
  std::uint32_t sequence_ = 0;
  std::deque<pending_send> pending_;
};

}  // namespace guildhall::arena_sdl
