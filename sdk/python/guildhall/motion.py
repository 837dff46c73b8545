"""Motion helpers for real-time rooms, pure and with injected time:

* the arena's movement rule, map and input bytes (a port of sdk/js/src/arena_motion.ts, mirrored from src/games/arena/):
  `step_body`, `YARD`, `encode_input`, so a client predicts its own fighter with the server's code;
* `Predictor`: client-side prediction with server reconciliation (include/guildhall/client/prediction.hpp);
* `SnapshotInterpolator` and its `JitterBufferClock`: draws others about two snapshots behind with an adaptive
  delay (include/guildhall/client/interpolation.hpp, src/client/netcode/interpolation.cpp);
* `ClockSync`: the server's tick seen from here, and the tick to stamp on inputs (clock_sync.hpp / .cpp).

Units: times are milliseconds on the caller's monotonic clock (`now_ms`, any origin), `dt_s` seconds, ticks the
server's, distances arena units. Not thread-safe: every object belongs to the game loop's thread.
"""
from __future__ import annotations

import bisect
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

# ---- the arena's rule (sdk/js/src/arena_motion.ts; src/games/arena/arena_rules.hpp, motion.cpp, geometry.cpp) ---

PLAYER_RADIUS = 0.5  # units
MAX_SPEED = 6.0  # units/s
ACCELERATION = 40.0  # units/s^2
DECELERATION = 40.0  # units/s^2 when nothing is held
FIRE_INTERVAL_MS = 250
SHOT_RANGE = 30.0
MAX_HEALTH = 100
VIEW_RADIUS = 24.0
_MAX_STEP = PLAYER_RADIUS / 2  # no step jumps a wall
_RESOLVE_PASSES = 3
BUTTON_UP, BUTTON_DOWN, BUTTON_LEFT, BUTTON_RIGHT, BUTTON_FIRE = 0x01, 0x02, 0x04, 0x08, 0x10
_KNOWN_BUTTONS = 0x1F
_AIM_STEPS = 65536


@dataclass(frozen=True, slots=True)
class Box:
    min_x: float
    min_y: float
    max_x: float
    max_y: float


@dataclass(frozen=True, slots=True)
class ArenaMap:
    name: str
    width: float
    height: float
    walls: tuple[Box, ...]  # the first four are the edges just outside the playfield
    spawns: tuple[tuple[float, float], ...]


def _make_yard() -> ArenaMap:
    w, h = 48, 32
    walls = (Box(-1, -1, w + 1, 0), Box(-1, h, w + 1, h + 1), Box(-1, 0, 0, h), Box(w, 0, w + 1, h),
             Box(21, 13, 27, 19), Box(8, 6, 16, 8), Box(32, 24, 40, 26), Box(8, 20, 10, 27), Box(38, 5, 40, 12),
             Box(4, 14, 6, 18), Box(42, 14, 44, 18), Box(30, 6, 32, 8), Box(16, 24, 18, 26))
    spawns = ((3, 3), (45, 3), (3, 29), (45, 29), (24, 5), (24, 27), (13, 16), (35, 16))
    return ArenaMap("yard", w, h, walls, spawns)


#: The map "yard" (the only one the server has).
YARD = _make_yard()


@dataclass(frozen=True, slots=True)
class Body:
    """A fighter's position (units) and velocity (units/s); +y is up."""

    x: float
    y: float
    vx: float = 0.0
    vy: float = 0.0


def circle_box_overlap(cx: float, cy: float, radius: float, wall: Box) -> tuple[float, float, float] | None:
    """(nx, ny, depth) pushing the circle out of `wall`, or None when they do not overlap."""
    near_x = min(max(cx, wall.min_x), wall.max_x)
    near_y = min(max(cy, wall.min_y), wall.max_y)
    ax, ay = cx - near_x, cy - near_y
    gap = math.hypot(ax, ay)
    if gap >= radius:
        return None
    if gap > 1e-9:
        return ax / gap, ay / gap, radius - gap
    left, right, down, up = cx - wall.min_x, wall.max_x - cx, cy - wall.min_y, wall.max_y - cy
    nearest = min(left, right, down, up)
    if nearest == left:
        return -1.0, 0.0, left + radius
    if nearest == right:
        return 1.0, 0.0, right + radius
    if nearest == down:
        return 0.0, -1.0, down + radius
    return 0.0, 1.0, up + radius


def _resolve_walls(arena: ArenaMap, b: list[float]) -> None:
    for _ in range(_RESOLVE_PASSES):
        moved = False
        for wall in arena.walls:
            overlap = circle_box_overlap(b[0], b[1], PLAYER_RADIUS, wall)
            if overlap is None:
                continue
            nx, ny, depth = overlap
            b[0] += nx * depth
            b[1] += ny * depth
            into = b[2] * nx + b[3] * ny
            if into < 0:
                b[2] -= nx * into
                b[3] -= ny * into
            moved = True
        if not moved:
            break
    b[0] = min(max(b[0], PLAYER_RADIUS), arena.width - PLAYER_RADIUS)
    b[1] = min(max(b[1], PLAYER_RADIUS), arena.height - PLAYER_RADIUS)


def wish_direction(buttons: int) -> tuple[float, float]:
    """A unit (or zero) vector from the buttons byte, +y up."""
    x = (1 if buttons & BUTTON_RIGHT else 0) - (1 if buttons & BUTTON_LEFT else 0)
    y = (1 if buttons & BUTTON_UP else 0) - (1 if buttons & BUTTON_DOWN else 0)
    length = math.hypot(x, y)
    return (x / length, y / length) if length > 0 else (0.0, 0.0)


def _clamp_length(x: float, y: float, most: float) -> tuple[float, float]:
    length = math.hypot(x, y)
    return (x * (most / length), y * (most / length)) if length > most else (x, y)


def step_body(arena: ArenaMap, body: Body, buttons: int, dt_s: float) -> Body:
    """The body after `dt_s` seconds with `buttons` held: the server's motion.cpp step_body, step for step."""
    if not dt_s > 0:
        return body
    wx, wy = wish_direction(buttons)
    rate = ACCELERATION if math.hypot(wx, wy) > 0 else DECELERATION
    cx, cy = _clamp_length(wx * MAX_SPEED - body.vx, wy * MAX_SPEED - body.vy, rate * dt_s)
    vx, vy = _clamp_length(body.vx + cx, body.vy + cy, MAX_SPEED)
    b = [body.x, body.y, vx, vy]
    steps = max(1, math.ceil(math.hypot(vx * dt_s, vy * dt_s) / _MAX_STEP))
    for _ in range(steps):
        b[0] += b[2] * (dt_s / steps)
        b[1] += b[3] * (dt_s / steps)
        _resolve_walls(arena, b)
    return Body(*b)


def quantize_aim(radians: float) -> int:
    """Radians (counter-clockwise from +x) to the 16-bit aim of arena_input.cpp."""
    if not math.isfinite(radians):
        return 0
    turns = math.fmod(radians / (2 * math.pi), 1)
    if turns < 0:
        turns += 1
    return math.floor(turns * _AIM_STEPS + 0.5) & 0xFFFF  # JavaScript's Math.round: half up


def encode_input(buttons: int, aim_radians: float) -> bytes:
    """The 3 bytes of one arena input (docs/arena.md "Input"): buttons, aim low, aim high."""
    aim = quantize_aim(aim_radians)
    return bytes((buttons & _KNOWN_BUTTONS, aim & 0xFF, aim >> 8))


# ---- prediction with reconciliation --------------------------------------------------------------------------

S = TypeVar("S")
I = TypeVar("I")  # noqa: E741

#: Inputs kept for replay; past it the oldest are forgotten (counted) and a later correction replays less.
MAX_PENDING_INPUTS = 128
_NEGLIGIBLE_WEIGHT = 0.01


@dataclass(frozen=True, slots=True)
class PredictionConfig:
    smoothing_ms: float = 100.0  # time constant of the visual correction's decay
    snap_distance: float = 4.0  # units: a correction beyond this is shown at once (teleport, respawn)
    reconcile_epsilon: float = 0.1  # units: errors up to this are wire quantization, not a misprediction
    max_pending_inputs: int = MAX_PENDING_INPUTS

    def validate(self) -> None:
        """Raises ValueError naming the bad setting."""
        for name in ("smoothing_ms", "snap_distance", "reconcile_epsilon"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0")
        if not 1 <= self.max_pending_inputs <= MAX_PENDING_INPUTS:
            raise ValueError(f"max_pending_inputs must be in 1..{MAX_PENDING_INPUTS}")


@dataclass(frozen=True, slots=True)
class PredictionModel(Generic[S, I]):
    """The game's rule (deterministic, the server's), an error measure, and a blend for smoothing (may be None)."""

    step: Callable[[S, I, float], S]
    distance: Callable[[S, S], float]
    lerp: Callable[[S, S, float], S] | None = None


@dataclass(frozen=True, slots=True)
class ReconcileResult:
    """outcome: agreed | corrected | snapped | rebased | stale (prediction.hpp's reconcile_result)."""

    outcome: str
    error: float | None = None
    replayed: int = 0


@dataclass(slots=True)
class PredictionStats:
    inputs: int = 0
    corrections: int = 0  # snaps included
    snaps: int = 0
    history_overflows: int = 0
    refused_inputs: int = 0
    last_error: float = 0.0
    error_sum: float = 0.0
    errors_measured: int = 0


@dataclass(slots=True)
class PendingInput(Generic[S, I]):
    sequence: int
    input: I
    dt_s: float
    after: S  # the predicted state once this input was applied


def smoothing_weight(elapsed_ms: float, time_constant_ms: float) -> float:
    """exp(-elapsed / tau), 0 once negligible: how much of a correction is still shown."""
    if time_constant_ms <= 0:
        return 0.0
    weight = math.exp(-max(0.0, elapsed_ms) / time_constant_ms)
    return 0.0 if weight < _NEGLIGIBLE_WEIGHT else weight


class Predictor(Generic[S, I]):
    """Applies the local player's inputs at once and reconciles with each authoritative state ("the server applied
    inputs up to N"): within reconcile_epsilon the prediction stands; beyond it the predictor restarts from the
    server's state, replays the inputs after N, and what is drawn glides to the correction (`shown`)."""

    def __init__(self, model: PredictionModel[S, I], initial: S, config: PredictionConfig | None = None) -> None:
        self.config = config or PredictionConfig()
        self.config.validate()
        self.model = model
        self.state = initial  # the predicted present
        self.pending: deque[PendingInput[S, I]] = deque()
        self.acknowledged: int | None = None
        self.stats = PredictionStats()
        self._last_sequence = 0
        self._ghost: S | None = None  # where the player would be shown had the correction not happened
        self._ghost_since_ms = 0.0

    def apply(self, sequence: int, player_input: I, dt_s: float) -> bool:
        """Applies an input at once and keeps it for replay. False (nothing applied) when `sequence` is not above the
        last one applied or acknowledged."""
        if sequence <= self._last_sequence:
            self.stats.refused_inputs += 1
            return False
        self._last_sequence = sequence
        self.state = self.model.step(self.state, player_input, dt_s)
        if self._ghost is not None:
            self._ghost = self.model.step(self._ghost, player_input, dt_s)
        self.pending.append(PendingInput(sequence, player_input, dt_s, self.state))
        while len(self.pending) > self.config.max_pending_inputs:
            self.pending.popleft()
            self.stats.history_overflows += 1
        self.stats.inputs += 1
        return True

    def reconcile(self, server: S, last_processed: int, now_ms: float) -> ReconcileResult:
        """An authoritative state of the local player after the server applied inputs up to `last_processed`."""
        if self.acknowledged is not None and last_processed < self.acknowledged:
            return ReconcileResult("stale")
        predicted = self.predicted_at(last_processed)
        error = None if predicted is None else self.model.distance(predicted, server)
        if error is not None:
            self.stats.last_error = error
            self.stats.error_sum += error
            self.stats.errors_measured += 1
        self.acknowledged = last_processed
        self._last_sequence = max(self._last_sequence, last_processed)
        while self.pending and self.pending[0].sequence <= last_processed:
            self.pending.popleft()
        if error is not None and error <= self.config.reconcile_epsilon:
            return ReconcileResult("agreed", error)
        shown_before = self.shown(now_ms)
        self.state = server
        for p in self.pending:
            self.state = self.model.step(self.state, p.input, p.dt_s)
            p.after = self.state
        replayed = len(self.pending)
        if error is None:
            self._ghost = None
            return ReconcileResult("rebased", None, replayed)
        self.stats.corrections += 1
        if self.model.lerp is None or self.model.distance(shown_before, self.state) > self.config.snap_distance:
            self.stats.snaps += 1
            self._ghost = None
            return ReconcileResult("snapped", error, replayed)
        self._ghost = shown_before
        self._ghost_since_ms = now_ms
        return ReconcileResult("corrected", error, replayed)

    def reset(self, state: S, last_processed: int) -> None:
        """Forgets every pending input and starts from `state` (a respawn, a room joined again)."""
        self.state = state
        self.pending.clear()
        self._ghost = None
        self.acknowledged = last_processed
        self._last_sequence = max(self._last_sequence, last_processed)

    def shown(self, now_ms: float) -> S:
        """What to draw at `now_ms`: the prediction plus what is left of the latest correction's smoothing."""
        if self._ghost is None or self.model.lerp is None:
            return self.state
        weight = smoothing_weight(now_ms - self._ghost_since_ms, self.config.smoothing_ms)
        return self.state if weight <= 0 else self.model.lerp(self.state, self._ghost, weight)

    def predicted_at(self, sequence: int) -> S | None:
        """The prediction made for `sequence` (after applying it), while it is pending."""
        for p in self.pending:
            if p.sequence == sequence:
                return p.after
            if p.sequence > sequence:
                break
        return None


# ---- snapshot interpolation with an adaptive jitter buffer -----------------------------------------------------

#: Snapshots kept, at most: two seconds at 30 Hz, more than any sane delay.
MAX_BUFFERED_SNAPSHOTS = 64
_JITTER_GAIN = 1 / 16  # RFC 3550's gain
_WARMUP_ARRIVALS = 16  # before the jitter estimate is trusted the delay is at least initial_delay_intervals
_LOSS_GAIN = 1 / 64
_MAX_COUNTED_GAP = 8  # ticks missing at once that count as loss; longer is an outage
_RENDER_RESYNC_MS = 1000  # a target this far off is jumped to rather than glided to


@dataclass(frozen=True, slots=True)
class InterpolationConfig:
    tick_ms: float = 1000 / 30  # the server's tick length (1000 / RoomJoined.tick_hz)
    snapshot_interval_ms: float = 0  # time between snapshots; 0: one per tick
    initial_delay_intervals: float = 2  # the delay before jitter is measured, in snapshot intervals
    min_delay_intervals: float = 1
    max_delay_intervals: float = 8
    jitter_factor: float = 2.5  # delay = interval + factor * jitter
    max_extrapolation_ms: float = 100  # how far past the newest snapshot motion continues before it is held
    max_slew: float = 0.1  # the render clock runs between 1 - slew and 1 + slew while adapting
    loss_allowance: float = 0.01  # a share of snapshots missing above this adds one interval of delay
    capacity: int = MAX_BUFFERED_SNAPSHOTS

    @property
    def interval_ms(self) -> float:
        return self.snapshot_interval_ms if self.snapshot_interval_ms > 0 else self.tick_ms

    def validate(self) -> None:
        """Raises ValueError naming the bad setting."""
        finite = all(math.isfinite(getattr(self, f)) for f in (
            "tick_ms", "snapshot_interval_ms", "initial_delay_intervals", "min_delay_intervals",
            "max_delay_intervals", "jitter_factor", "max_extrapolation_ms", "max_slew", "loss_allowance"))
        if not finite or self.tick_ms <= 0 or self.snapshot_interval_ms < 0:
            raise ValueError("tick_ms must be > 0 and every setting finite")
        if not 0 <= self.min_delay_intervals <= self.initial_delay_intervals <= self.max_delay_intervals:
            raise ValueError("need 0 <= min_delay_intervals <= initial_delay_intervals <= max_delay_intervals")
        if self.jitter_factor < 0 or self.max_extrapolation_ms < 0 or self.loss_allowance < 0:
            raise ValueError("jitter_factor, max_extrapolation_ms and loss_allowance must be >= 0")
        if not 0 <= self.max_slew < 1 or not 2 <= self.capacity <= MAX_BUFFERED_SNAPSHOTS:
            raise ValueError(f"max_slew must be in [0, 1) and capacity in 2..{MAX_BUFFERED_SNAPSHOTS}")


class JitterBufferClock:
    """Learns from arrivals when each tick should be drawn: base = the quickest arrival (min of arrival - tick *
    tick_ms over recent ones), jitter = mean lateness behind it; the render clock glides towards base + delay."""

    def __init__(self, config: InterpolationConfig | None = None) -> None:
        self.config = config or InterpolationConfig()
        self.reset()

    def reset(self) -> None:
        self._samples: deque[float] = deque()
        self._base_ms = 0.0
        self._origin_ms = self._origin_since_ms = self._target_origin_ms = 0.0
        self.jitter_ms = 0.0
        self.loss = 0.0
        self._newest_tick: int | None = None
        self.arrivals = 0
        self._started = False

    def target_delay_ms(self) -> float:
        c = self.config
        interval = c.interval_ms
        delay = interval + c.jitter_factor * self.jitter_ms
        if self.loss > c.loss_allowance:
            delay += interval
        if self.arrivals < _WARMUP_ARRIVALS:
            delay = max(delay, c.initial_delay_intervals * interval)
        return min(max(delay, c.min_delay_intervals * interval), c.max_delay_intervals * interval)

    def on_arrival(self, tick: int, arrival_ms: float) -> None:
        """A snapshot of `tick` arrived at `arrival_ms` (new, late or out of order; not a duplicate)."""
        c = self.config
        offset = arrival_ms - tick * c.tick_ms
        self._samples.append(offset)
        while len(self._samples) > c.capacity:
            self._samples.popleft()
        self._base_ms = min(self._samples)
        self.jitter_ms += ((offset - self._base_ms) - self.jitter_ms) * _JITTER_GAIN
        if self._newest_tick is None or tick > self._newest_tick:
            step = c.interval_ms / c.tick_ms
            missing = (tick - self._newest_tick) / step - 1 if self._newest_tick is not None else 0
            counted = min(max(math.floor(missing + 0.5), 0), _MAX_COUNTED_GAP)  # std::round, then clamp
            self.loss += (counted - self.loss) * _LOSS_GAIN
            self._newest_tick = tick
        self.arrivals += 1
        target = self._base_ms + self.target_delay_ms()
        if not self._started:
            self._origin_ms = self._target_origin_ms = target
            self._origin_since_ms = arrival_ms
            self._started = True
            return
        now = max(arrival_ms, self._origin_since_ms)
        self._origin_ms = self._origin_at(now)
        self._origin_since_ms = now
        self._target_origin_ms = target
        if abs(target - self._origin_ms) > _RENDER_RESYNC_MS:
            self._origin_ms = target

    def _origin_at(self, now_ms: float) -> float:
        reach = self.config.max_slew * max(0.0, now_ms - self._origin_since_ms)
        return self._origin_ms + min(max(self._target_origin_ms - self._origin_ms, -reach), reach)

    def render_tick(self, now_ms: float) -> float | None:
        """The fractional server tick to draw at `now_ms`; None before the first arrival."""
        if not self._started:
            return None
        return (now_ms - self._origin_at(now_ms)) / self.config.tick_ms

    def delay_ms(self, now_ms: float) -> float:
        """How far behind the quickest arrival the render clock runs at `now_ms`."""
        return self._origin_at(now_ms) - self._base_ms if self._started else self.target_delay_ms()


@dataclass(frozen=True, slots=True)
class InterpolationSample(Generic[S]):
    """The two snapshots around the render time; t in [0, 1] between them, above 1 when extrapolating."""

    from_state: S
    to_state: S
    from_tick: int
    to_tick: int
    t: float
    render_tick: float
    extrapolated: bool = False


@dataclass(slots=True)
class InterpolationStats:
    pushed: int = 0
    late: int = 0
    duplicates: int = 0
    too_old: int = 0
    underruns: int = 0  # episodes of the render time passing the newest snapshot
    extrapolated: int = 0


class SnapshotInterpolator(Generic[S]):
    """Snapshots by tick, sampled a little behind the newest. `lerp(a, b, t)` may be asked for t > 1."""

    def __init__(self, config: InterpolationConfig | None = None,
                 lerp: Callable[[S, S, float], S] | None = None) -> None:
        self.config = config or InterpolationConfig()
        self.config.validate()
        self.clock = JitterBufferClock(self.config)
        self.lerp = lerp
        self.stats = InterpolationStats()
        self._ticks: list[int] = []
        self._states: list[S] = []
        self._in_underrun = False

    def push(self, tick: int, state: S, arrival_ms: float) -> str:
        """"newest", "late" (kept, it fills a gap), "duplicate" or "too_old" (both ignored)."""
        at = bisect.bisect_left(self._ticks, tick)
        if at < len(self._ticks) and self._ticks[at] == tick:
            self.stats.duplicates += 1
            return "duplicate"
        if at == 0 and len(self._ticks) >= self.config.capacity:
            self.stats.too_old += 1
            return "too_old"
        newest = at == len(self._ticks)
        self._ticks.insert(at, tick)
        self._states.insert(at, state)
        if len(self._ticks) > self.config.capacity:
            del self._ticks[0], self._states[0]
        self.clock.on_arrival(tick, arrival_ms)
        self.stats.pushed += 1
        if newest:
            self._in_underrun = False
            return "newest"
        self.stats.late += 1
        return "late"

    def sample(self, now_ms: float) -> InterpolationSample[S] | None:
        """The snapshots around the render time of `now_ms`; None while empty."""
        if not self._ticks:
            return None
        render = self.clock.render_tick(now_ms)
        assert render is not None
        if render > self._ticks[-1]:
            return self._past_newest(render)
        hi = bisect.bisect_left(self._ticks, render)
        if hi == 0 or self._ticks[hi] == render:
            return self._single(hi, render)
        a, b = self._ticks[hi - 1], self._ticks[hi]
        return InterpolationSample(self._states[hi - 1], self._states[hi], a, b, (render - a) / (b - a), render)

    def sample_state(self, now_ms: float) -> S | None:
        """The blended state at `now_ms` (needs `lerp`); None while empty."""
        s = self.sample(now_ms)
        if s is None:
            return None
        if s.from_tick == s.to_tick or self.lerp is None:
            return s.to_state
        return self.lerp(s.from_state, s.to_state, s.t)

    def at(self, tick: int) -> S | None:
        at = bisect.bisect_left(self._ticks, tick)
        return self._states[at] if at < len(self._ticks) and self._ticks[at] == tick else None

    @property
    def newest_tick(self) -> int | None:
        return self._ticks[-1] if self._ticks else None

    def __len__(self) -> int:
        return len(self._ticks)

    def reset(self) -> None:
        """Forgets every snapshot and what the clock learnt (a new room, a server restart)."""
        self._ticks.clear()
        self._states.clear()
        self.clock.reset()
        self._in_underrun = False

    def _single(self, index: int, render: float, extrapolated: bool = False) -> InterpolationSample[S]:
        tick, state = self._ticks[index], self._states[index]
        return InterpolationSample(state, state, tick, tick, 0.0, render, extrapolated)

    def _past_newest(self, render: float) -> InterpolationSample[S]:
        if not self._in_underrun:
            self.stats.underruns += 1
        self._in_underrun = True
        self.stats.extrapolated += 1
        if len(self._ticks) < 2:
            return self._single(-1, render, True)
        a, b = self._ticks[-2], self._ticks[-1]
        tick = min(render, b + self.config.max_extrapolation_ms / self.config.tick_ms)
        return InterpolationSample(self._states[-2], self._states[-1], a, b, (tick - a) / (b - a), render, True)


# ---- clock sync ------------------------------------------------------------------------------------------------

#: Samples kept per kind, at most, whatever the window.
MAX_CLOCK_SAMPLES = 256
_RTT_GAIN = 1 / 8  # RFC 6298
_RTT_DEVIATION_GAIN = 1 / 4


@dataclass(frozen=True, slots=True)
class ClockSyncConfig:
    tick_ms: float = 1000 / 30  # the server's tick length (1000 / RoomJoined.tick_hz)
    window_ms: float = 4000  # evidence older than this is forgotten
    input_margin_ticks: float = 1  # extra lead on input stamps
    resync_ms: float = 1000  # a sample this much below the minimum restarts the estimate

    def validate(self) -> None:
        if not all(math.isfinite(v) for v in (self.tick_ms, self.window_ms, self.input_margin_ticks, self.resync_ms)):
            raise ValueError("clock sync settings must be finite")
        if self.tick_ms <= 0 or self.window_ms <= 0 or self.input_margin_ticks < 0 or self.resync_ms <= 0:
            raise ValueError("tick_ms, window_ms, resync_ms must be > 0 and input_margin_ticks >= 0")


@dataclass(slots=True)
class ClockSync:
    """The server's tick seen from here: min-filtered (arrival - tick * tick_ms) over a sliding window, less half
    the quickest round trip; inputs are stamped for the tick they reach the server at (`input_tick`)."""

    config: ClockSyncConfig = field(default_factory=ClockSyncConfig)
    smoothed_rtt_ms: float = 0.0
    rtt_deviation_ms: float = 0.0
    resyncs: int = 0
    _offsets: deque[tuple[float, float]] = field(default_factory=deque)  # (at_ms, receive - tick * tick_ms)
    _rtts: deque[tuple[float, float]] = field(default_factory=deque)

    def __post_init__(self) -> None:
        self.config.validate()

    def _push(self, samples: deque[tuple[float, float]], at_ms: float, value: float) -> None:
        samples.append((at_ms, value))
        newest = max(at for at, _ in samples)
        while samples and (samples[0][0] < newest - self.config.window_ms or len(samples) > MAX_CLOCK_SAMPLES):
            samples.popleft()

    def on_snapshot(self, tick: int, receive_ms: float) -> None:
        """A snapshot of `tick` arrived at `receive_ms`."""
        if not math.isfinite(receive_ms):
            return
        value = receive_ms - tick * self.config.tick_ms
        if self._offsets and value < min(v for _, v in self._offsets) - self.config.resync_ms:
            self._offsets.clear()
            self.resyncs += 1
        self._push(self._offsets, receive_ms, value)

    def on_round_trip(self, rtt_ms: float, now_ms: float) -> None:
        """A round trip measured at `now_ms` (a Pong, an acknowledged input); negative or non-finite is ignored."""
        if not (math.isfinite(rtt_ms) and rtt_ms >= 0 and math.isfinite(now_ms)):
            return
        if not self._rtts and self.smoothed_rtt_ms == 0:
            self.smoothed_rtt_ms, self.rtt_deviation_ms = rtt_ms, rtt_ms / 2
        else:
            self.rtt_deviation_ms += (abs(self.smoothed_rtt_ms - rtt_ms) - self.rtt_deviation_ms) * _RTT_DEVIATION_GAIN
            self.smoothed_rtt_ms += (rtt_ms - self.smoothed_rtt_ms) * _RTT_GAIN
        self._push(self._rtts, now_ms, rtt_ms)

    @property
    def synchronized(self) -> bool:
        return bool(self._offsets)

    @property
    def min_rtt_ms(self) -> float:
        return min(v for _, v in self._rtts) if self._rtts else 0.0

    def offset_ms(self) -> float | None:
        """local time - server time (local_ms = tick * tick_ms + offset); None before the first snapshot."""
        return min(v for _, v in self._offsets) - self.min_rtt_ms / 2 if self._offsets else None

    def server_tick_at(self, local_ms: float) -> float | None:
        offset = self.offset_ms()
        return None if offset is None else (local_ms - offset) / self.config.tick_ms

    def input_tick(self, local_ms: float) -> int | None:
        """The tick to stamp on an input sent at `local_ms`; None before the first snapshot."""
        tick = self.server_tick_at(local_ms + self.smoothed_rtt_ms / 2 + 2 * self.rtt_deviation_ms)
        return None if tick is None else int(max(0.0, math.ceil(tick + self.config.input_margin_ticks)))


def lerp_body(a: Body, b: Body, t: float) -> Body:
    """Blends two bodies (for Predictor smoothing and SnapshotInterpolator)."""
    return Body(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, a.vx + (b.vx - a.vx) * t, a.vy + (b.vy - a.vy) * t)


def body_distance(a: Body, b: Body) -> float:
    return math.hypot(a.x - b.x, a.y - b.y)


#: The arena's prediction model for Predictor: the state is a Body, the input the buttons byte.
ARENA_MODEL: PredictionModel[Body, int] = PredictionModel(
    step=lambda body, buttons, dt_s: step_body(YARD, body, buttons, dt_s), distance=body_distance, lerp=lerp_body)
