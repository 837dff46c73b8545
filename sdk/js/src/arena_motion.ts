// The arena's movement rule and map, mirrored from the server so that the page can predict its own fighter and
// draw the same walls. Every number here is copied from src/games/arena/ and must change with it:
//   constants      src/games/arena/arena_rules.hpp (kPlayerRadius, kMaxSpeed, kAcceleration, kDeceleration, ...)
//   the map        src/games/arena/arena_map.cpp   (make_yard: size, walls, spawns)
//   stepBody       src/games/arena/motion.cpp      (step_body, resolve_walls, wish_direction)
//   overlap        src/games/arena/geometry.cpp    (circle_box_overlap)
//   input bytes    src/games/arena/arena_input.cpp (encode_input, quantize_aim) and docs/arena.md "Input"
// A prediction that drifts from the server is corrected by reconciliation (arena_net.ts), so a mismatch here
// shows as rubber-banding, never as a cheat: the server decides. Pure: no DOM, no clock.

export const PLAYER_RADIUS = 0.5;      // units
export const MAX_SPEED = 6.0;          // units/s
export const ACCELERATION = 40.0;      // units/s^2
export const DECELERATION = 40.0;      // units/s^2 when nothing is held
export const FIRE_INTERVAL_MS = 250;
export const SHOT_RANGE = 30.0;
export const MAX_HEALTH = 100;
export const VIEW_RADIUS = 24.0;
const MAX_STEP = PLAYER_RADIUS / 2;    // motion.cpp kMaxStep: no step jumps a wall
const RESOLVE_PASSES = 3;              // motion.cpp kResolvePasses

/** Input buttons, byte 0 of RoomInput.data (arena_input.hpp). */
export const BUTTONS = Object.freeze({ up: 0x01, down: 0x02, left: 0x04, right: 0x08, fire: 0x10 });
const KNOWN_BUTTONS = 0x1f;
const AIM_STEPS = 65536;

export interface Vec2 {
  x: number;
  y: number;
}
/** An axis-aligned wall, in map units (+y up). */
export interface Box {
  min: Vec2;
  max: Vec2;
}
export interface ArenaMap {
  name: string;
  width: number;
  height: number;
  walls: Box[];
  spawns: Vec2[];
}
/** A fighter's motion state: position (units) and velocity (units/s). */
export interface Body {
  x: number;
  y: number;
  vx: number;
  vy: number;
}

function makeYard(): Readonly<ArenaMap> {
  const w = 48;
  const h = 32;
  const box = (x0: number, y0: number, x1: number, y1: number): Box =>
    ({ min: { x: x0, y: y0 }, max: { x: x1, y: y1 } });
  return Object.freeze({
    name: 'yard',
    width: w,
    height: h,
    // The first four are the edges, just outside the playfield; the rest are drawn as cover.
    walls: [
      box(-1, -1, w + 1, 0), box(-1, h, w + 1, h + 1), box(-1, 0, 0, h), box(w, 0, w + 1, h),
      box(21, 13, 27, 19), box(8, 6, 16, 8), box(32, 24, 40, 26), box(8, 20, 10, 27), box(38, 5, 40, 12),
      box(4, 14, 6, 18), box(42, 14, 44, 18), box(30, 6, 32, 8), box(16, 24, 18, 26),
    ],
    spawns: ([[3, 3], [45, 3], [3, 29], [45, 29], [24, 5], [24, 27], [13, 16], [35, 16]] as const)
      .map(([x, y]) => ({ x, y })),
  });
}

/** The map "yard" (the only one the server has). */
export const YARD = makeYard();

const len = (x: number, y: number) => Math.hypot(x, y);

function clampLength(v: Vec2, maxLength: number): Vec2 {
  const l = len(v.x, v.y);
  return l > maxLength ? { x: v.x * (maxLength / l), y: v.y * (maxLength / l) } : v;
}

/** geometry.cpp circle_box_overlap: {nx, ny, depth} to push the circle out, or null. */
export function circleBoxOverlap(cx: number, cy: number, radius: number, wall: Box):
  { nx: number; ny: number; depth: number } | null {
  const nearX = Math.min(Math.max(cx, wall.min.x), wall.max.x);
  const nearY = Math.min(Math.max(cy, wall.min.y), wall.max.y);
  const ax = cx - nearX;
  const ay = cy - nearY;
  const gap = len(ax, ay);
  if (gap >= radius) return null;
  if (gap > 1e-9) return { nx: ax / gap, ny: ay / gap, depth: radius - gap };
  const left = cx - wall.min.x;
  const right = wall.max.x - cx;
  const down = cy - wall.min.y;
  const up = wall.max.y - cy;
  const nearest = Math.min(left, right, down, up);
  if (nearest === left) return { nx: -1, ny: 0, depth: left + radius };
  if (nearest === right) return { nx: 1, ny: 0, depth: right + radius };
  if (nearest === down) return { nx: 0, ny: -1, depth: down + radius };
  return { nx: 0, ny: 1, depth: up + radius };
}

function resolveWalls(map: ArenaMap, b: Body): void {
  for (let pass = 0; pass < RESOLVE_PASSES; pass += 1) {
    let moved = false;
    for (const wall of map.walls) {
      const o = circleBoxOverlap(b.x, b.y, PLAYER_RADIUS, wall);
      if (!o) continue;
      b.x += o.nx * o.depth;
      b.y += o.ny * o.depth;
      const into = b.vx * o.nx + b.vy * o.ny;
      if (into < 0) {
        b.vx -= o.nx * into;
        b.vy -= o.ny * into;
      }
      moved = true;
    }
    if (!moved) break;
  }
  b.x = Math.min(Math.max(b.x, PLAYER_RADIUS), map.width - PLAYER_RADIUS);
  b.y = Math.min(Math.max(b.y, PLAYER_RADIUS), map.height - PLAYER_RADIUS);
}

/** motion.cpp wish_direction from the buttons byte: a unit (or zero) vector, +y up. */
export function wishDirection(buttons: number): Vec2 {
  const x = ((buttons & BUTTONS.right) ? 1 : 0) - ((buttons & BUTTONS.left) ? 1 : 0);
  const y = ((buttons & BUTTONS.up) ? 1 : 0) - ((buttons & BUTTONS.down) ? 1 : 0);
  const l = len(x, y);
  return l > 0 ? { x: x / l, y: y / l } : { x: 0, y: 0 };
}

/**
 * motion.cpp step_body: the body {x, y, vx, vy} after dt seconds with `buttons` held. Returns a new object.
 */
export function stepBody(map: ArenaMap, body: Body, buttons: number, dt: number): Body {
  const b = { ...body };
  if (!(dt > 0)) return b;
  const wish = wishDirection(buttons);
  const target = { x: wish.x * MAX_SPEED, y: wish.y * MAX_SPEED };
  const rate = len(wish.x, wish.y) > 0 ? ACCELERATION : DECELERATION;
  const change = clampLength({ x: target.x - b.vx, y: target.y - b.vy }, rate * dt);
  const v = clampLength({ x: b.vx + change.x, y: b.vy + change.y }, MAX_SPEED);
  b.vx = v.x;
  b.vy = v.y;
  const steps = Math.max(1, Math.ceil(len(b.vx * dt, b.vy * dt) / MAX_STEP));
  for (let i = 0; i < steps; i += 1) {
    b.x += b.vx * (dt / steps);
    b.y += b.vy * (dt / steps);
    resolveWalls(map, b);
  }
  return b;
}

/** arena_input.cpp quantize_aim: radians (counter-clockwise from +x) to the 16-bit aim. */
export function quantizeAim(radians: number): number {
  if (!Number.isFinite(radians)) return 0;
  let turns = (radians / (2 * Math.PI)) % 1;
  if (turns < 0) turns += 1;
  return Math.round(turns * AIM_STEPS) & 0xffff;
}

/** The 3 bytes of one arena input (docs/arena.md "Input"). */
export function encodeInput(buttons: number, aimRadians: number): Uint8Array {
  const aim = quantizeAim(aimRadians);
  return Uint8Array.of(buttons & KNOWN_BUTTONS, aim & 0xff, aim >> 8);
}
