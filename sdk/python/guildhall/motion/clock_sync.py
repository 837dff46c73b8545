"""The server's tick seen from here, and the tick to stamp on inputs (include/guildhall/client/clock_sync.hpp).
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

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
