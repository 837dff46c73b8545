"""The arena's movement rule, map and input bytes, mirrored from the server (src/games/arena/) so a client
predicts its own fighter with the server's code; ARENA_MODEL plugs it into Predictor. Pure.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from guildhall.motion.prediction import PredictionModel

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




def lerp_body(a: Body, b: Body, t: float) -> Body:
    """Blends two bodies (for Predictor smoothing and SnapshotInterpolator)."""
    return Body(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, a.vx + (b.vx - a.vx) * t, a.vy + (b.vy - a.vy) * t)


def body_distance(a: Body, b: Body) -> float:
    return math.hypot(a.x - b.x, a.y - b.y)


#: The arena's prediction model for Predictor: the state is a Body, the input the buttons byte.
ARENA_MODEL: PredictionModel[Body, int] = PredictionModel(
    step=lambda body, buttons, dt_s: step_body(YARD, body, buttons, dt_s), distance=body_distance, lerp=lerp_body)
