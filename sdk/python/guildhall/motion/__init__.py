"""Motion helpers for real-time rooms, pure and with injected time:

* `arena`: the arena's movement rule, map and input bytes (a port of sdk/js/src/arena_motion.ts, mirrored
  from src/games/arena/): `step_body`, `YARD`, `encode_input`, so a client predicts its own fighter with the
  server's code;
* `prediction`: `Predictor`, client-side prediction with server reconciliation
  (include/guildhall/client/prediction.hpp);
* `interpolation`: `SnapshotInterpolator` and its `JitterBufferClock`, which draw others about two snapshots behind
  with an adaptive delay (include/guildhall/client/interpolation.hpp, src/client/netcode/interpolation.cpp);
* `clock_sync`: `ClockSync`, the server's tick seen from here, and the tick to stamp on inputs (clock_sync.hpp).

Everything is importable from `guildhall.motion` itself.

Units: times are milliseconds on the caller's monotonic clock (`now_ms`, any origin), `dt_s` seconds, ticks the
server's, distances arena units. Not thread-safe: every object belongs to the game loop's thread.
"""
from guildhall.motion.arena import (
    ACCELERATION, ARENA_MODEL, BUTTON_DOWN, BUTTON_FIRE, BUTTON_LEFT, BUTTON_RIGHT, BUTTON_UP, ArenaMap, Body, Box,
    DECELERATION, FIRE_INTERVAL_MS, MAX_HEALTH, MAX_SPEED,
    PLAYER_RADIUS, SHOT_RANGE, VIEW_RADIUS, YARD, body_distance, circle_box_overlap, encode_input, lerp_body,
    quantize_aim, step_body, wish_direction)
from guildhall.motion.prediction import (
    MAX_PENDING_INPUTS, PendingInput, PredictionConfig, PredictionModel, PredictionStats, Predictor,
    ReconcileResult, smoothing_weight)
from guildhall.motion.interpolation import (
    InterpolationConfig, InterpolationSample, InterpolationStats, JitterBufferClock, MAX_BUFFERED_SNAPSHOTS,
    SnapshotInterpolator)
from guildhall.motion.clock_sync import (
    ClockSync, ClockSyncConfig, MAX_CLOCK_SAMPLES)

__all__ = [
    "ACCELERATION", "ARENA_MODEL", "BUTTON_DOWN", "BUTTON_FIRE", "BUTTON_LEFT", "BUTTON_RIGHT", "BUTTON_UP",
    "ArenaMap", "Body", "Box", "ClockSync", "ClockSyncConfig", "DECELERATION",
    "FIRE_INTERVAL_MS", "InterpolationConfig", "InterpolationSample", "InterpolationStats", "JitterBufferClock",
    "MAX_BUFFERED_SNAPSHOTS", "MAX_CLOCK_SAMPLES", "MAX_HEALTH", "MAX_PENDING_INPUTS", "MAX_SPEED",
    "PLAYER_RADIUS", "PendingInput", "PredictionConfig", "PredictionModel", "PredictionStats", "Predictor",
    "ReconcileResult", "SHOT_RANGE", "SnapshotInterpolator", "VIEW_RADIUS", "YARD", "body_distance",
    "circle_box_overlap", "encode_input", "lerp_body", "quantize_aim", "smoothing_weight", "step_body",
    "wish_direction",
]
