"""The arena client's network model, without pygame or sockets (every call takes `now_ms` on one monotonic clock):
the Python counterpart of examples/arena-sdl/arena_game.cpp, built on the SDK's helpers (guildhall.motion).

- The world comes from the SDK's decoded snapshots (RoomSnapshot.entities: EntityState by id), read by the field
  names of the arena's schema (src/games/arena/arena_schema.hpp): players, shots and the match clock.
- The local fighter is predicted with guildhall.motion.Predictor running the server's movement rule
  (ARENA_MODEL). Inputs are keyed by the server tick they are stamped for (client_tick), so a snapshot of tick T
  is the server's answer for the input of T.
- Everyone else is drawn through SnapshotInterpolator, about two snapshots behind, with an adaptive delay.
- ClockSync turns snapshot arrivals and ping round trips into the tick to stamp inputs with.
Not thread-safe: the game loop's thread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from guildhall.motion import (ARENA_MODEL, Body, ClockSync, ClockSyncConfig, InterpolationConfig, Predictor,
                              SnapshotInterpolator)

MAX_CATCH_UP_TICKS = 8   # after a longer stall (a dragged window) prediction restarts at the present


@dataclass(frozen=True)
class Player:
    seat: int
    x: float
    y: float
    angle: float          # radians, counter-clockwise from +x
    health: int
    alive: bool
    score: int
    deaths: int
    bot: bool


@dataclass(frozen=True)
class Shot:
    x0: float
    y0: float
    x1: float
    y1: float
    seat: int
    hit: bool


@dataclass(frozen=True)
class World:
    players: dict[int, Player] = field(default_factory=dict)   # by seat
    shots: tuple[Shot, ...] = ()
    time_left_s: float = 0.0
    match_state: int = 0      # 0 waiting for a second fighter, 1 playing, 2 over


def world_from(entities: dict) -> World:
    """The arena's entities (the SDK's EntityState by id) as a World; entities of other types are skipped."""
    players, shots, time_left, state = {}, [], 0.0, 0
    for entity in entities.values():
        v = entity.values
        if entity.type_name == "player":
            players[int(v["seat"])] = Player(int(v["seat"]), v["x"], v["y"], v["angle"], int(v["health"]),
                                             bool(v["alive"]), int(v["score"]), int(v["deaths"]), bool(v["bot"]))
        elif entity.type_name == "shot":
            shots.append(Shot(v["x0"], v["y0"], v["x1"], v["y1"], int(v["seat"]), bool(v["hit"])))
        elif entity.type_name == "match":
            time_left, state = v["time_left"], int(v["state"])
    return World(players, tuple(shots), time_left, state)


def _lerp_angle(a: float, b: float, t: float) -> float:
    d = (b - a + math.pi) % (2 * math.pi) - math.pi
    return a + d * t


def lerp_world(a: World, b: World, t: float) -> World:
    """Players blended by seat; one missing or dead on either side, or respawned between, is taken from `b`."""
    players = {}
    for seat, to in b.players.items():
        was = a.players.get(seat)
        if was is None or not (was.alive and to.alive) or math.hypot(to.x - was.x, to.y - was.y) > 4:
            players[seat] = to
        else:
            players[seat] = replace(to, x=was.x + (to.x - was.x) * t, y=was.y + (to.y - was.y) * t,
                                    angle=_lerp_angle(was.angle, to.angle, t))
    return replace(b, players=players)


@dataclass
class Frame:
    """What to draw at one moment."""
    shown: World              # others, interpolated
    me: Player | None         # the local fighter, predicted while alive
    newest: World             # scores and the clock: the newest snapshot
    render_tick: float


class ArenaModel:
    """`seat` < 0: a spectator (nothing predicted). See the module docstring."""

    def __init__(self, seat: int, tick_hz: int) -> None:
        self.seat = seat
        self.tick_s = 1.0 / max(1, tick_hz)
        tick_ms = 1000.0 * self.tick_s
        self.predictor = Predictor(ARENA_MODEL, Body(0, 0))
        self.interpolator: SnapshotInterpolator[World] = SnapshotInterpolator(InterpolationConfig(tick_ms=tick_ms),
                                                                              lerp=lerp_world)
        # No extra margin: an input that arrives early is applied early (the server does not hold it).
        self.clock = ClockSync(ClockSyncConfig(tick_ms=tick_ms, input_margin_ticks=0))
        self.newest = World()
        self.newest_tick = 0
        self.predicted_tick: int | None = None
        self.alive = False    # seen alive since the last death: prediction runs

    def on_snapshot(self, tick: int, world: World, now_ms: float) -> None:
        if self.interpolator.push(tick, world, now_ms) != "newest":
            return
        self.clock.on_snapshot(tick, now_ms)
        self.newest, self.newest_tick = world, tick
        if self.seat >= 0:
            self._reconcile(tick, world, now_ms)

    def _reconcile(self, tick: int, world: World, now_ms: float) -> None:
        me = world.players.get(self.seat)
        if me is None or not me.alive:
            self.alive = False
            return
        if not self.alive:   # first sighting, or back from the dead: the server's word, no smoothing
            self.predictor.reset(Body(me.x, me.y), tick)
            self.alive = True
            return
        # Snapshots carry positions only: the velocity the prediction had for T goes with the server's position.
        predicted = self.predictor.predicted_at(tick)
        vx, vy = (predicted.vx, predicted.vy) if predicted else (0.0, 0.0)
        self.predictor.reconcile(Body(me.x, me.y, vx, vy), tick, now_ms)

    def on_round_trip(self, rtt_ms: float, now_ms: float) -> None:
        self.clock.on_round_trip(rtt_ms, now_ms)

    def step(self, now_ms: float, buttons: int) -> list[tuple[int, int]]:
        """Advances prediction to the input tick of `now_ms` with `buttons` held: the (client_tick, view_tick) of
        each input to send now (one per tick predicted; none between ticks or before the clock is known)."""
        if self.seat < 0:
            return []
        stamp = self.clock.input_tick(now_ms)
        if stamp is None:
            return []
        if self.predicted_tick is None or stamp > self.predicted_tick + MAX_CATCH_UP_TICKS:
            self.predicted_tick = stamp - 1
        render = self.interpolator.clock.render_tick(now_ms)
        view_tick = max(0, round(render if render is not None else self.newest_tick))
        inputs = []
        for tick in range(self.predicted_tick + 1, stamp + 1):
            inputs.append((tick, view_tick))
            if self.alive:
                self.predictor.apply(tick, buttons, self.tick_s)
        self.predicted_tick = max(self.predicted_tick, stamp)
        return inputs

    def view(self, now_ms: float) -> Frame | None:
        sample = self.interpolator.sample(now_ms)
        if sample is None:
            return None
        shown = sample.to_state if sample.from_state is sample.to_state else \
            lerp_world(sample.from_state, sample.to_state, sample.t)
        me = self.newest.players.get(self.seat)
        if me is not None and me.alive and self.alive:
            body = self.predictor.shown(now_ms)
            me = replace(me, x=body.x, y=body.y)
        others = {seat: p for seat, p in shown.players.items() if seat != self.seat}
        return Frame(replace(shown, players=others), me, self.newest, sample.render_tick)
