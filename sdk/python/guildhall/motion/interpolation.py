"""Snapshot interpolation with an adaptive jitter buffer (include/guildhall/client/interpolation.hpp): others
are drawn about two snapshots behind the newest, the delay following the measured jitter and loss.
"""
from __future__ import annotations

import bisect
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

S = TypeVar("S")

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
