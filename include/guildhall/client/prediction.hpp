#pragma once
// Client-side prediction with server reconciliation, for any game: the local player's own inputs are applied at
// once (no round trip before the avatar moves), and every authoritative state the server sends for that player
// is used to correct the prediction without a visible snap-back.
//
// The contract with the game:
// - `step(state, input, dt_s)` is the game's movement rule, the same code the server runs (share it; see
//   src/games/arena/motion.cpp). It must be deterministic: the same state, input and dt give the same result.
// - Each input is stamped with a sequence number that increases by at least one per input (the arena uses the
//   server tick the input is meant for). The server reports, with the player's authoritative state, the last
//   sequence it has applied ("last input processed = N"). Inputs the server never received simply stay pending
//   until a later acknowledgement passes them.
// - `distance(a, b)` measures a prediction error in the game's units (the arena: world units between positions).
// - `lerp(a, b, t)` blends two states (t in [0, 1]); it is used only to draw the correction smoothly.
//
// Reconciliation (Gaffer On Games, "Networked Physics"; Valve's Source multiplayer networking): on a server state
// for N, the error is distance(predicted state after input N, server state). Within `reconcile_epsilon` (what
// quantization on the wire explains) the prediction is kept. Beyond it the predictor restarts from the server's
// state and replays every input after N. What is drawn then glides from where the player was shown to the
// corrected prediction with a time constant of `smoothing_ms`; a correction larger than `snap_distance` (a
// teleport, a respawn) is shown at once.
//
// Units: times are milliseconds on the caller's monotonic clock (`now_ms`, any origin), `dt_s` is seconds.
// Thread-safety: none. A predictor belongs to the game loop's thread; call it from that thread only.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "guildhall/client/export.hpp"

namespace guildhall::client {

// Inputs kept for replay. At 60 inputs per second this is over two seconds of unacknowledged play; past it the
// oldest are forgotten (counted in `prediction_stats::history_overflows`) and a later correction replays less.
inline constexpr std::size_t kMaxPendingInputs = 128;

struct GUILDHALL_CLIENT_API prediction_config {
  double smoothing_ms = 100.0;     // time constant of the visual correction's decay; longer hides more, lags more
  double snap_distance = 4.0;      // game units: a correction beyond this is shown at once (teleport, respawn)
  double reconcile_epsilon = 0.1;  // game units: errors up to this are wire quantization, not a misprediction
  std::size_t max_pending_inputs = kMaxPendingInputs;  // 1 .. kMaxPendingInputs

  // Empty when usable, else what is wrong.
  std::optional<std::string> validate() const;
};

template <class State, class Input>
struct prediction_model {
  std::function<State(const State&, const Input&, double dt_s)> step;
  std::function<double(const State&, const State&)> distance;
  std::function<State(const State& from, const State& to, double t)> lerp;
};

// What one authoritative state did to the prediction.
struct reconcile_result {
  enum class outcome : std::uint8_t {
    agreed,     // the prediction for N was within reconcile_epsilon: nothing changed
    corrected,  // rebased on the server state and replayed; the jump is smoothed
    snapped,    // rebased, and the jump was beyond snap_distance: shown at once
    rebased,    // no prediction for N to compare with (first state, N older than the history, N in the future)
    stale,      // N is older than an acknowledgement already applied: ignored
  };
  outcome what = outcome::agreed;
  std::optional<double> error;  // distance(predicted for N, server), when there was a prediction for N
  std::size_t replayed = 0;     // inputs replayed after N
};

struct prediction_stats {
  std::uint64_t inputs = 0;
  std::uint64_t corrections = 0;        // includes snaps
  std::uint64_t snaps = 0;
  std::uint64_t history_overflows = 0;  // pending inputs forgotten because the history was full
  std::uint64_t refused_inputs = 0;     // a sequence not above the last one
  double last_error = 0;                // the latest measured error, game units
  double error_sum = 0;                 // over every measured error: mean = error_sum / errors_measured
  std::uint64_t errors_measured = 0;
};

namespace detail {
// exp(-elapsed / time constant), 0 once negligible: how much of a correction is still shown.
GUILDHALL_CLIENT_API double smoothing_weight(double elapsed_ms, double time_constant_ms);
}  // namespace detail

template <class State, class Input>
class predictor {
 public:
  struct pending_input {
    std::uint64_t sequence;
    Input input;
    double dt_s;
    State after;  // the predicted state once this input was applied
  };

  // `config` must validate(); `model.step` and `model.distance` must be set (`lerp` too, for smoothing).
  predictor(prediction_model<State, Input> model, const State& initial, prediction_config config = {})
      : model_(std::move(model)), config_(config), state_(initial) {}

  // Applies `input` at once and keeps it for replay. False (and nothing applied) when `sequence` is not above the
  // last one applied or acknowledged: the caller's numbering is broken.
  bool apply(std::uint64_t sequence, const Input& input, double dt_s) {
    if (sequence <= last_sequence_) {
      ++stats_.refused_inputs;
      return false;
    }
    last_sequence_ = sequence;
    state_ = model_.step(state_, input, dt_s);
    if (ghost_) ghost_ = model_.step(*ghost_, input, dt_s);
    pending_.push_back({sequence, input, dt_s, state_});
    while (pending_.size() > config_.max_pending_inputs) {
      pending_.pop_front();
      ++stats_.history_overflows;
    }
    ++stats_.inputs;
    return true;
  }

  // An authoritative state for the local player after the server applied inputs up to `last_processed`.
  reconcile_result reconcile(const State& server, std::uint64_t last_processed, double now_ms) {
    reconcile_result result;
    if (acknowledged_ && last_processed < *acknowledged_) {
      result.what = reconcile_result::outcome::stale;
      return result;
    }
    const State* predicted = predicted_at_pending(last_processed);
    if (predicted) {
      result.error = model_.distance(*predicted, server);
      stats_.last_error = *result.error;
      stats_.error_sum += *result.error;
      ++stats_.errors_measured;
    }
    acknowledged_ = last_processed;
    last_sequence_ = std::max(last_sequence_, last_processed);
    while (!pending_.empty() && pending_.front().sequence <= last_processed) pending_.pop_front();
    if (result.error && *result.error <= config_.reconcile_epsilon) return result;
    const State shown_before = shown(now_ms);
    state_ = server;
    for (auto& p : pending_) {
      state_ = model_.step(state_, p.input, p.dt_s);
      p.after = state_;
      ++result.replayed;
    }
    if (!result.error) {
      result.what = reconcile_result::outcome::rebased;
      ghost_.reset();
      return result;
    }
    ++stats_.corrections;
    if (!model_.lerp || model_.distance(shown_before, state_) > config_.snap_distance) {
      ++stats_.snaps;
      ghost_.reset();
      result.what = reconcile_result::outcome::snapped;
      return result;
    }
    // The ghost carries on from where the player was shown, moved by the same inputs as the prediction, and what
    // is drawn slides from it to the prediction: no jump at the moment of correction, none left after ~3 x tau.
    ghost_ = shown_before;
    ghost_since_ms_ = now_ms;
    result.what = reconcile_result::outcome::corrected;
    return result;
  }

  // Forgets every pending input and starts from `state` (a respawn, a room joined again). `last_processed` is the
  // server's acknowledgement that goes with it.
  void reset(const State& state, std::uint64_t last_processed) {
    state_ = state;
    pending_.clear();
    ghost_.reset();
    acknowledged_ = last_processed;
    last_sequence_ = std::max(last_sequence_, last_processed);
  }

  // The predicted present: the latest server state with every pending input applied.
  const State& state() const { return state_; }

  // What to draw at `now_ms`: the prediction, plus what is left of the latest correction's smoothing.
  State shown(double now_ms) const {
    if (!ghost_ || !model_.lerp) return state_;
    const double weight = detail::smoothing_weight(now_ms - ghost_since_ms_, config_.smoothing_ms);
    if (weight <= 0) return state_;
    return model_.lerp(state_, *ghost_, weight);
  }

  // The prediction made for `sequence` (after applying it), while it is pending.
  std::optional<State> predicted_at(std::uint64_t sequence) const {
    const State* s = predicted_at_pending(sequence);
    return s ? std::optional<State>(*s) : std::nullopt;
  }

  // Inputs the server has not acknowledged, oldest first: what a client sends again (the arena sends each input in
  // three messages) and what a correction replays.
  const std::deque<pending_input>& pending() const { return pending_; }
  std::optional<std::uint64_t> acknowledged() const { return acknowledged_; }
  const prediction_stats& stats() const { return stats_; }
  const prediction_config& config() const { return config_; }

 private:
  const State* predicted_at_pending(std::uint64_t sequence) const {
    for (const auto& p : pending_) {
      if (p.sequence == sequence) return &p.after;
      if (p.sequence > sequence) break;
    }
    return nullptr;
  }

  prediction_model<State, Input> model_;
  prediction_config config_;
  State state_;
  std::deque<pending_input> pending_;
  std::uint64_t last_sequence_ = 0;
  std::optional<std::uint64_t> acknowledged_;
  std::optional<State> ghost_;  // where the player would be shown had the correction not happened
  double ghost_since_ms_ = 0;
  prediction_stats stats_;
};

}  // namespace guildhall::client
