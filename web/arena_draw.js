// Drawing the arena on a canvas: the map fills the canvas (48 x 32 units, +y up), so one scale maps units to
// pixels. Pure drawing from a view (the SDK's ArenaNet.view); no state but the canvas it is given.

import { MAX_HEALTH, PLAYER_RADIUS, YARD } from './vendor/guildhall-client.js';

/** One colour per seat, told apart on the dark ground and by colour-blind players (Okabe-Ito, brightened). */
export const SEAT_COLOURS = ['#56b4e9', '#e69f00', '#cc79a7', '#f0e442', '#009e73', '#ff6b6b', '#b39ddb', '#d4d4d4'];
const GROUND = '#1f2a24';
const GRID = 'rgb(255 255 255 / 0.05)';
const WALL = '#56606e';
const WALL_EDGE = '#7a8595';
const EDGE_WALLS = 4;            // the first walls of the map are the playfield's edges, drawn as its border

/** Pixels per map unit and the canvas's backing size for its CSS size: sharp on high-density screens. */
export function fitCanvas(canvas, map = YARD) {
  const cssWidth = canvas.clientWidth || 960;
  const ratio = globalThis.devicePixelRatio || 1;
  const width = Math.round(cssWidth * ratio);
  const height = Math.round((cssWidth * map.height / map.width) * ratio);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  return { scale: width / map.width, cssScale: cssWidth / map.width, ratio };
}

/** Map units to canvas pixels for `scale`. */
export const toCanvas = (scale, x, y, map = YARD) => [x * scale, (map.height - y) * scale];

function drawGround(ctx, scale, map) {
  ctx.fillStyle = GROUND;
  ctx.fillRect(0, 0, map.width * scale, map.height * scale);
  ctx.strokeStyle = GRID;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let x = 4; x < map.width; x += 4) {
    ctx.moveTo(x * scale, 0);
    ctx.lineTo(x * scale, map.height * scale);
  }
  for (let y = 4; y < map.height; y += 4) {
    ctx.moveTo(0, y * scale);
    ctx.lineTo(map.width * scale, y * scale);
  }
  ctx.stroke();
  for (const wall of map.walls.slice(EDGE_WALLS)) {
    const [x, y] = toCanvas(scale, wall.min.x, wall.max.y, map);
    const w = (wall.max.x - wall.min.x) * scale;
    const h = (wall.max.y - wall.min.y) * scale;
    ctx.fillStyle = WALL;
    ctx.fillRect(x, y, w, h);
    ctx.strokeStyle = WALL_EDGE;
    ctx.lineWidth = Math.max(1, scale * 0.08);
    ctx.strokeRect(x, y, w, h);
  }
}

function drawShots(ctx, scale, shots, map) {
  ctx.lineCap = 'round';
  for (const shot of shots) {
    ctx.strokeStyle = shot.hit ? '#ff5252' : 'rgb(255 241 118 / 0.85)';
    ctx.lineWidth = Math.max(1.5, scale * 0.08);
    ctx.beginPath();
    ctx.moveTo(...toCanvas(scale, shot.x0, shot.y0, map));
    ctx.lineTo(...toCanvas(scale, shot.x1, shot.y1, map));
    ctx.stroke();
  }
}

function drawPlayer(ctx, scale, p, { you, name }, map) {
  const [cx, cy] = toCanvas(scale, p.x, p.y, map);
  const r = PLAYER_RADIUS * scale;
  const colour = SEAT_COLOURS[p.seat % SEAT_COLOURS.length];
  if (!p.alive) {
    ctx.strokeStyle = 'rgb(255 255 255 / 0.35)';
    ctx.lineWidth = Math.max(1.5, scale * 0.1);
    ctx.beginPath();
    ctx.moveTo(cx - r * 0.7, cy - r * 0.7);
    ctx.lineTo(cx + r * 0.7, cy + r * 0.7);
    ctx.moveTo(cx + r * 0.7, cy - r * 0.7);
    ctx.lineTo(cx - r * 0.7, cy + r * 0.7);
    ctx.stroke();
    return;
  }
  // The aim: a barrel from the centre, in screen space (y is flipped).
  ctx.strokeStyle = colour;
  ctx.lineWidth = Math.max(2, scale * 0.18);
  ctx.beginPath();
  ctx.moveTo(cx, cy);
  ctx.lineTo(cx + Math.cos(p.angle) * r * 1.8, cy - Math.sin(p.angle) * r * 1.8);
  ctx.stroke();
  ctx.fillStyle = colour;
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, 2 * Math.PI);
  ctx.fill();
  if (you) {
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = Math.max(2, scale * 0.12);
    ctx.beginPath();
    ctx.arc(cx, cy, r + scale * 0.18, 0, 2 * Math.PI);
    ctx.stroke();
  }
  // Health above, name below.
  const barW = scale * 1.4;
  const barH = Math.max(3, scale * 0.16);
  const top = cy - r - scale * 0.5;
  ctx.fillStyle = 'rgb(0 0 0 / 0.5)';
  ctx.fillRect(cx - barW / 2, top, barW, barH);
  ctx.fillStyle = p.health > 50 ? '#69db7c' : p.health > 25 ? '#ffd43b' : '#ff6b6b';
  ctx.fillRect(cx - barW / 2, top, (barW * Math.max(0, p.health)) / MAX_HEALTH, barH);
  ctx.font = `${Math.max(10, Math.round(scale * 0.55))}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.fillStyle = you ? '#ffffff' : 'rgb(255 255 255 / 0.8)';
  // Below the body, or above its health bar near the bottom edge, where a label below would be cut off.
  const below = p.y > 1.5;
  ctx.textBaseline = below ? 'top' : 'bottom';
  ctx.fillText(you ? `${name} (you)` : name, cx, below ? cy + r + scale * 0.2 : top - scale * 0.1);
}

function drawBanner(ctx, scale, text, map) {
  const w = map.width * scale;
  const h = map.height * scale;
  ctx.fillStyle = 'rgb(0 0 0 / 0.45)';
  ctx.fillRect(0, h / 2 - scale * 1.4, w, scale * 2.8);
  ctx.fillStyle = '#ffffff';
  ctx.font = `600 ${Math.max(14, Math.round(scale * 1.1))}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, w / 2, h / 2);
}

/**
 * Draws one frame. `view`: ArenaNet.view(now) or null (waiting for the first snapshot); `nameOf(seat)` gives a
 * player's name; `banner` is text across the middle (waiting, respawning) or ''.
 */
export function drawArena(canvas, view, { nameOf, banner = '', map = YARD }) {
  const { scale } = fitCanvas(canvas, map);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  drawGround(ctx, scale, map);
  if (view) {
    drawShots(ctx, scale, view.shots, map);
    for (const p of view.others) drawPlayer(ctx, scale, p, { you: false, name: nameOf(p.seat) }, map);
    if (view.me) drawPlayer(ctx, scale, view.me, { you: true, name: nameOf(view.me.seat) }, map);
  }
  if (banner) drawBanner(ctx, scale, banner, map);
}
