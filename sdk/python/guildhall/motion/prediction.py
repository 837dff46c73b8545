"""Client-side prediction with server reconciliation (include/guildhall/client/prediction.hpp): inputs keyed by
sequence, replayed after a correction, the visible jump smoothed away. Injected time; the game loop's thread.
"""
from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

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
