// The arena's network model, without DOM or clock (every call takes `now` in milliseconds), so Node's test
// runner drives it with a simulated server (tests/unit/web/arena_net.test.mjs). It does five things:
//
// 1. Snapshot intake. Each RoomSnapshot is a delta against a tick this client acknowledged; decoded sets are kept
//    in a ring by tick (RING_TICKS, more than the 32 the server remembers) so that any baseline it names is here.
//    A snapshot older than the newest still feeds interpolation; one whose baseline is gone is dropped (the next
//    one, encoded against our ack, decodes). `ackTick` is the newest tick decoded.
// 2. The server clock. The newest snapshot's tick against its arrival time gives the tick "now, as seen from
//    here" (one way behind the server); jitter in that offset sizes the interpolation buffer.
// 3. Inputs. One input per predicted tick, stamped with `clientTick`: the tick at which the server will apply it
//    (the tick seen here + a round trip + one). Each input rides in INPUT_COPIES RoomInputs (docs/protocol.md,
//    "The room flow" 2) unless a snapshot at or past its tick has arrived, which means the server is past it.
// 4. Prediction and reconciliation. The local fighter runs arena_motion.ts's stepBody (the server's rule) once
//    per tick. When a snapshot for tick T disagrees with what we predicted for T, we start again from the
//    server's position at T and replay our inputs after T; the jump is hidden by an offset that decays.
// 5. Interpolation. Everyone else is drawn between the two snapshots around `renderTick`, a little behind the
//    newest (interpDelay ticks, adapting to jitter), and the same tick is sent as `viewTick` so the server's lag
//    compensation tests shots against what the player saw.

import { type ArenaMap, type Body, YARD, encodeInput, stepBody } from './arena_motion.js';
import { fromBase64, toBase64 } from './base64.js';
import type { RoomInput, RoomJoined, RoomSnapshot } from './protocol.js';
import { decodeDelta, type EntitySet, naturalFields, type Schema, schemaFromJson } from './snapshot_codec.js';

export const RING_TICKS = 64;          // decoded snapshots kept; the server encodes against at most 32 back
export const INPUT_COPIES = 3;         // each input goes out this many times (protocol: this and the next two)
export const MAX_INPUTS_PER_MESSAGE = 8;  // the server refuses more (INVALID_ARGUMENT)
const MAX_CATCH_UP_TICKS = 8;          // after a longer stall (a hidden tab) prediction restarts at the present
const RECONCILE_EPSILON = 0.1;         // units: more than quantization (1/16 unit, half a step per axis) can explain
const SMOOTHING_MS = 100;              // a correction's visible jump decays with this time constant
const SNAP_DISTANCE = 4;               // units: a respawn or a teleport is shown at once, not smoothed
const CLOCK_SNAP_TICKS = 4;            // the clock estimate jumps rather than glides when off by more
const CLOCK_GAIN = 0.05;               // per snapshot: how fast the clock estimate follows
const INTERP_MIN_TICKS = 2;            // about two snapshots behind the newest
const INTERP_MAX_TICKS = 8;
const RTT_GAIN = 0.2;

export { fromBase64, toBase64 };

/** One entity's natural values by field name (the schema is runtime data), with its id. */
export type EntityValues = { id: number; [field: string]: any };

/** What ArenaNet.view() returns: the world to draw at one instant. */
export interface ArenaView {
  tick: number;
  renderTick: number;
  me: EntityValues | null;
  others: EntityValues[];
  shots: EntityValues[];
  match: EntityValues | null;
}

/** What the player holds this frame: the buttons byte (BUTTONS) and the aim in radians. */
export interface Controls {
  buttons: number;
  aim: number;
}

export type SnapshotOutcome = 'new' | 'late' | 'duplicate' | 'no_baseline' | 'error';

interface PendingInput {
  frame: { sequence: number; clientTick: number; viewTick: number; data: Uint8Array };
  copies: number;
}

const lerp = (a: number, b: number, t: number) => a + (b - a) * t;
function lerpAngle(a: number, b: number, t: number): number {
  let d = (b - a) % (2 * Math.PI);
  if (d > Math.PI) d -= 2 * Math.PI;
  if (d < -Math.PI) d += 2 * Math.PI;
  return a + d * t;
}

/** One room session: from a RoomJoined until the page leaves the room. */
export class ArenaNet {
  readonly roomId: string;
  readonly schema: Schema;
  readonly tickHz: number;
  readonly seat: number;         // ours, or -1 for a spectator
  stats = { snapshots: 0, duplicates: 0, noBaseline: 0, errors: 0, lateSnapshots: 0, corrections: 0, skipped: 0 };
  #types: Map<string, number>;   // type name -> index
  #ring = new Map<number, EntitySet>();  // tick -> entity set
  #ticks: number[] = [];         // the ring's ticks, ascending
  #newest = 0;
  #ackSent = 0;                  // spectators: the newest tick acknowledged so far
  #clockOffset: number | null = null;  // tick seen here = now * hz / 1000 + offset
  #jitter = 0;                   // ticks, smoothed |sample - estimate|
  #interpDelay = INTERP_MIN_TICKS;
  #rttMs = 0;
  #sequence = 0;
  #pending: PendingInput[] = [];  // inputs still to be sent again
  #history = new Map<number, { buttons: number; body: Body | null }>();  // tick -> our prediction after it
  #predictedTick: number | null = null;  // the last tick predicted
  #body: Body | null = null;     // at #predictedTick, or null while dead / unseen
  #dead = true;                  // not seen alive since the last death (or ever): the next sighting rebases
  #offset = { x: 0, y: 0, at: 0 };  // visual correction, decaying from `at`
  #map: ArenaMap;

  /** `joined`: the RoomJoined answer (camelCase JSON). */
  constructor(joined: RoomJoined, { map = YARD }: { map?: ArenaMap } = {}) {
    this.roomId = String(joined.room?.roomId ?? '0');
    this.schema = schemaFromJson(joined.schemaJson);
    this.tickHz = Number(joined.tickHz) || 30;
    this.seat = joined.you?.spectator ? -1 : Number(joined.you?.seat ?? 0);
    this.#types = new Map(this.schema.types.map((t, i) => [t.name, i] as const));
    this.#map = map;
  }

  get ackTick(): number { return this.#newest; }
  get rttMs(): number { return this.#rttMs; }
  get interpDelayTicks(): number { return this.#interpDelay; }
  get predictedTick(): number | null { return this.#predictedTick; }
  get body(): Body | null { return this.#body && { ...this.#body }; }
  /** What we predicted (or rebased to) for `tick`: {x, y, vx, vy}, or null. */
  predictionAt(tick: number): Body | null {
    const body = this.#history.get(tick)?.body;
    return body ? { ...body } : null;
  }

  // ---- 1. snapshots ------------------------------------------------------------------------------------------

  /**
   * Takes a RoomSnapshot push ({tick, baselineTick, data: base64 or bytes}). Returns 'new' (the newest so far),
   * 'late' (older than the newest, kept for interpolation), 'duplicate', 'no_baseline' or 'error'.
   */
  receiveSnapshot(snapshot: RoomSnapshot | { tick?: number; baselineTick?: number; data?: string | Uint8Array },
    now: number): SnapshotOutcome {
    const tick = Number(snapshot.tick ?? 0);
    const baselineTick = Number(snapshot.baselineTick ?? 0);
    if (this.#ring.has(tick)) return this.#count('duplicates', 'duplicate');
    if (tick < this.#newest - RING_TICKS) return this.#count('lateSnapshots', 'late');
    const baseline = baselineTick === 0 ? new Map() : this.#ring.get(baselineTick);
    if (!baseline) return this.#count('noBaseline', 'no_baseline');
    let entities: EntitySet;
    try {
      const data = typeof snapshot.data === 'string' ? fromBase64(snapshot.data) : (snapshot.data ?? []);
      entities = decodeDelta(this.schema, baseline, data);
    } catch {
      return this.#count('errors', 'error');
    }
    this.stats.snapshots += 1;
    this.#store(tick, entities);
    if (tick < this.#newest) return this.#count('lateSnapshots', 'late');
    this.#newest = tick;
    this.#observeClock(tick, now);
    this.#reconcile(tick, now);
    this.#forgetAcknowledged(tick);
    return 'new';
  }

  #count(key: keyof ArenaNet['stats'], result: SnapshotOutcome): SnapshotOutcome {
    this.stats[key] += 1;
    return result;
  }

  #store(tick: number, entities: EntitySet): void {
    this.#ring.set(tick, entities);
    let i = this.#ticks.length;
    while (i > 0 && this.#ticks[i - 1]! > tick) i -= 1;
    this.#ticks.splice(i, 0, tick);
    while (this.#ticks.length > RING_TICKS) this.#ring.delete(this.#ticks.shift()!);
  }

  /** The natural values of every entity of type `typeName` in the snapshot of `tick`, with its id. */
  entitiesAt(tick: number, typeName: string): EntityValues[] {
    const set = this.#ring.get(tick);
    const type = this.#types.get(typeName);
    const out: EntityValues[] = [];
    if (!set || type === undefined) return out;
    for (const [id, entity] of set) {
      if (entity.type === type) out.push({ id, ...naturalFields(this.schema, entity) });
    }
    return out;
  }

  #me(tick: number): EntityValues | null {
    return this.seat < 0 ? null : this.entitiesAt(tick, 'player').find((p) => p.seat === this.seat) ?? null;
  }

  // ---- 2. clock and round trip -----------------------------------------------------------------------------------

  #observeClock(tick: number, now: number): void {
    const sample = tick - (now * this.tickHz) / 1000;
    if (this.#clockOffset === null || Math.abs(sample - this.#clockOffset) > CLOCK_SNAP_TICKS) {
      this.#clockOffset = sample;
      this.#jitter = 0;
      return;
    }
    const error = sample - this.#clockOffset;
    this.#clockOffset += error * CLOCK_GAIN;
    this.#jitter += (Math.abs(error) - this.#jitter) * CLOCK_GAIN;
    const target = Math.min(INTERP_MAX_TICKS, Math.max(INTERP_MIN_TICKS, INTERP_MIN_TICKS + 2 * this.#jitter));
    this.#interpDelay += (target - this.#interpDelay) * CLOCK_GAIN;
  }

  /** The server tick as seen from here at `now` (fractional), or null before the first snapshot. */
  seenTick(now: number): number | null {
    return this.#clockOffset === null ? null : (now * this.tickHz) / 1000 + this.#clockOffset;
  }

  /** The tick others are drawn at: interpDelay behind the tick seen. */
  renderTick(now: number): number | null {
    const seen = this.seenTick(now);
    return seen === null ? null : seen - this.#interpDelay;
  }

  /** The tick at which an input sent now is applied: a round trip past the tick seen, and the next one. */
  inputTick(now: number): number | null {
    const seen = this.seenTick(now);
    return seen === null ? null : Math.floor(seen + (this.#rttMs * this.tickHz) / 1000) + 1;
  }

  /** A measured Ping/Pong round trip. */
  recordRtt(ms: number): void {
    if (!(ms >= 0)) return;
    this.#rttMs = this.#rttMs === 0 ? ms : this.#rttMs + (ms - this.#rttMs) * RTT_GAIN;
  }

  // ---- 3. inputs ---------------------------------------------------------------------------------------------

  /**
   * Advances prediction to the input tick of `now` with `controls` {buttons, aim (radians)} and returns the
   * RoomInput body to send, or null when no new tick began or no snapshot came yet (the caller sends nothing).
   * A spectator's body is a bare acknowledgement, once per new snapshot.
   */
  step(now: number, controls: Controls): RoomInput | null {
    if (this.seat < 0) return this.#spectatorAck();
    const target = this.inputTick(now);
    if (target === null) return null;
    if (this.#predictedTick === null || target - this.#predictedTick > MAX_CATCH_UP_TICKS) {
      if (this.#predictedTick !== null) this.stats.skipped += 1;
      this.#predictedTick = target - 1;
    }
    if (target <= this.#predictedTick) return null;
    const data = encodeInput(controls.buttons, controls.aim);
    const viewTick = Math.max(0, Math.round(this.renderTick(now) ?? 0));
    for (let tick = this.#predictedTick + 1; tick <= target; tick += 1) {
      this.#sequence += 1;
      this.#pending.push({ frame: { sequence: this.#sequence, clientTick: tick, viewTick, data }, copies: 0 });
      if (this.#body) this.#body = stepBody(this.#map, this.#body, controls.buttons, 1 / this.tickHz);
      this.#history.set(tick, { buttons: controls.buttons, body: this.#body });
    }
    this.#predictedTick = target;
    this.#trimHistory();
    return this.#message();
  }

  /** A spectator plays nothing but acknowledges, so its snapshots stay deltas: one bare ack per new snapshot. */
  #spectatorAck(): RoomInput | null {
    if (this.#newest === 0 || this.#newest === this.#ackSent) return null;
    this.#ackSent = this.#newest;
    return { roomId: this.roomId, ackTick: this.#newest, inputs: [] };
  }

  #message(): RoomInput {
    const send = this.#pending.slice(-MAX_INPUTS_PER_MESSAGE);
    for (const p of send) p.copies += 1;
    this.#pending = this.#pending.filter((p) => p.copies < INPUT_COPIES);
    return {
      roomId: this.roomId,
      ackTick: this.#newest,
      inputs: send.map(({ frame }) => ({ ...frame, data: toBase64(frame.data) })),
    };
  }

  /** A snapshot of `tick` reflects every input applied up to it: those need no more copies. */
  #forgetAcknowledged(tick: number): void {
    this.#pending = this.#pending.filter((p) => p.frame.clientTick > tick);
  }

  /** Inputs that would go out again in the next message (for tests and the debug overlay). */
  get unsentCopies(): { sequence: number; clientTick: number; copies: number }[] {
    return this.#pending.map((p) => ({ sequence: p.frame.sequence, clientTick: p.frame.clientTick, copies: p.copies }));
  }

  // ---- 4. prediction and reconciliation ------------------------------------------------------------------------

  #trimHistory(): void {
    const oldest = (this.#predictedTick ?? 0) - RING_TICKS;
    for (const tick of this.#history.keys()) if (tick < oldest) this.#history.delete(tick);
  }

  #reconcile(tick: number, now: number): void {
    const me = this.#me(tick);
    if (!me || !me.alive) {
      this.#body = me ? { x: me.x, y: me.y, vx: 0, vy: 0 } : null;
      this.#dead = true;
      return;
    }
    const predicted = this.#history.get(tick)?.body;
    if (this.#dead || !this.#body || !predicted || this.#predictedTick === null || tick > this.#predictedTick) {
      this.#dead = false;
      this.#rebase(me, { x: 0, y: 0 }, tick, now);
      return;
    }
    if (Math.hypot(me.x - predicted.x, me.y - predicted.y) <= RECONCILE_EPSILON) return;
    this.stats.corrections += 1;
    this.#rebase(me, { x: predicted.vx, y: predicted.vy }, tick, now);
  }

  // Starts again from the server's position at `tick` and replays the inputs predicted after it.
  #rebase(me: EntityValues, velocity: { x: number; y: number }, tick: number, now: number): void {
    const shown = this.#shownBody(now);
    let body: Body = { x: me.x, y: me.y, vx: velocity.x, vy: velocity.y };
    const last = Math.max(this.#predictedTick ?? tick, tick);
    for (let t = tick + 1; t <= last; t += 1) {
      const h = this.#history.get(t);
      if (!h) continue;
      body = stepBody(this.#map, body, h.buttons, 1 / this.tickHz);
      h.body = body;
    }
    const start: Body = { x: me.x, y: me.y, vx: velocity.x, vy: velocity.y };
    this.#history.set(tick, { buttons: this.#history.get(tick)?.buttons ?? 0, body: start });
    this.#body = body;
    const jump = shown ? { x: shown.x - body.x, y: shown.y - body.y } : { x: 0, y: 0 };
    const far = Math.hypot(jump.x, jump.y) > SNAP_DISTANCE;
    this.#offset = far ? { x: 0, y: 0, at: now } : { ...jump, at: now };
  }

  #shownBody(now: number): { x: number; y: number } | null {
    if (!this.#body) return null;
    const k = Math.exp(-(now - this.#offset.at) / SMOOTHING_MS);
    return { x: this.#body.x + this.#offset.x * k, y: this.#body.y + this.#offset.y * k };
  }

  // ---- 5. what to draw ---------------------------------------------------------------------------------------

  /**
   * The world to draw at `now`: {tick, me, players, shots, match}. `me` is predicted (with the correction
   * smoothed) while alive, else as the newest snapshot says; other players are interpolated at renderTick;
   * shots and the match come from the snapshot nearest renderTick and the newest one.
   */
  view(now: number): ArenaView | null {
    if (this.#newest === 0) return null;
    const renderTick = Math.min(this.renderTick(now) ?? this.#newest, this.#newest);
    const [a, b, t] = this.#bracket(renderTick);
    const before = this.entitiesAt(a, 'player');
    const after = new Map(this.entitiesAt(b, 'player').map((p) => [p.id, p]));
    const newest = new Map(this.entitiesAt(this.#newest, 'player').map((p) => [p.id, p]));
    const players = before.map((p): EntityValues => {
      const q = after.get(p.id);
      const fresh = newest.get(p.id) ?? q ?? p;
      if (!q || !p.alive || !q.alive) return { ...p, score: fresh.score, deaths: fresh.deaths };
      return { ...q, x: lerp(p.x, q.x, t), y: lerp(p.y, q.y, t), angle: lerpAngle(p.angle, q.angle, t),
        score: fresh.score, deaths: fresh.deaths };
    });
    const others = players.filter((p) => p.seat !== this.seat);
    let me: EntityValues | null = this.seat >= 0
      ? [...newest.values()].find((p) => p.seat === this.seat) ?? null : null;
    if (me && me.alive && this.#body) me = { ...me, ...this.#shownBody(now) };
    const match = this.entitiesAt(this.#newest, 'match')[0] ?? null;
    return { tick: this.#newest, renderTick, me, others, shots: this.entitiesAt(b, 'shot'), match };
  }

  // The ticks in the ring around `tick` and the fraction between them.
  #bracket(tick: number): [number, number, number] {
    const ticks = this.#ticks;
    let hi = ticks.findIndex((x) => x >= tick);
    if (hi === -1) hi = ticks.length - 1;
    if (hi === 0 || ticks[hi] === tick) return [ticks[hi]!, ticks[hi]!, 0];
    const a = ticks[hi - 1]!;
    const b = ticks[hi]!;
    return [a, b, (tick - a) / (b - a)];
  }
}
