
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// The network model is the SDK's (sdk/js, built by `npm run build` there or the guildhall-sdk-js target); the
// touch controls are the page's, which import the SDK's build by relative path, so they are loaded from a folder
// laid out like web/ and marked as ESM.
const sdk = await import(new URL('../../../sdk/js/dist/index.js', import.meta.url).href);
const dir = await mkdtemp(path.join(os.tmpdir(), 'arena-net-'));
await writeFile(path.join(dir, 'package.json'), '{"type":"module"}');
await mkdir(path.join(dir, 'vendor'));
await copyFile(new URL('../../../web/arena_touch.js', import.meta.url), path.join(dir, 'arena_touch.js'));
await copyFile(new URL('../../../sdk/js/dist/index.js', import.meta.url),
  path.join(dir, 'vendor', 'guildhall-client.js'));
const net = sdk;
const motion = sdk;
const codec = sdk;
const touch = await import(pathToFileURL(path.join(dir, 'arena_touch.js')).href);
const { ArenaNet, INPUT_COPIES, fromBase64 } = net;
const { BUTTONS, YARD, stepBody } = motion;

const HZ = 30;
const TICK_MS = 1000 / HZ;
// The arena's schema as src/games/arena/arena_schema.cpp builds it (the test of that file pins the C++ side).
const SCHEMA = {
  types: [
    { name: 'player', fields: [
      { name: 'x', kind: 'real', min: 0, max: 48, step: 1 / 16, bits: 10 },
      { name: 'y', kind: 'real', min: 0, max: 32, step: 1 / 16, bits: 10 },
      { name: 'angle', kind: 'angle', min: 0, max: 0, step: 1, bits: 12 },
      { name: 'health', kind: 'integer', min: 0, max: 100, step: 1, bits: 7 },
      { name: 'alive', kind: 'boolean', min: 0, max: 1, step: 1, bits: 1 },
      { name: 'score', kind: 'integer', min: 0, max: 1023, step: 1, bits: 10 },
      { name: 'deaths', kind: 'integer', min: 0, max: 1023, step: 1, bits: 10 },
      { name: 'seat', kind: 'integer', min: 0, max: 7, step: 1, bits: 3 },
      { name: 'bot', kind: 'boolean', min: 0, max: 1, step: 1, bits: 1 },
    ] },
    { name: 'shot', fields: [
      { name: 'x0', kind: 'real', min: 0, max: 48, step: 1 / 16, bits: 10 },
      { name: 'y0', kind: 'real', min: 0, max: 32, step: 1 / 16, bits: 10 },
      { name: 'x1', kind: 'real', min: 0, max: 48, step: 1 / 16, bits: 10 },
      { name: 'y1', kind: 'real', min: 0, max: 32, step: 1 / 16, bits: 10 },
      { name: 'seat', kind: 'integer', min: 0, max: 7, step: 1, bits: 3 },
      { name: 'hit', kind: 'boolean', min: 0, max: 1, step: 1, bits: 1 },
    ] },
    { name: 'match', fields: [
      { name: 'time_left', kind: 'real', min: 0, max: 3600, step: 0.1, bits: 16 },
      { name: 'state', kind: 'integer', min: 0, max: 2, step: 1, bits: 2 },
    ] },
  ],
};
const schema = codec.schemaFromJson(SCHEMA);

const joined = (seat = 0) => ({
  room: { roomId: '7' }, you: { seat }, schemaJson: JSON.stringify(SCHEMA), tickHz: HZ, serverTick: 1,
});

/**
 * The server's side of one client: bodies moved by the latest input that arrived before each tick (as
 * arena_room.cpp does), snapshots encoded against the client's newest acknowledged tick.
 */
class SimServer {
  tick = 0;
  bodies = new Map();     // seat -> {x, y, vx, vy}
  buttons = new Map();    // seat -> buttons of the latest input applied
  sent = new Map();       // tick -> entity set sent
  acked = 0;
  lastSequence = 0;
  applied = [];           // sequences applied, in order
  history = new Map();    // tick -> seat 0's body after it

  constructor(seats) {
    for (const [seat, x, y] of seats) this.bodies.set(seat, { x, y, vx: 0, vy: 0 });
  }

  receive(message) {
    this.acked = Math.max(this.acked, message.ackTick);
    for (const frame of message.inputs) {
      if (frame.sequence <= this.lastSequence) continue;  // duplicates are dropped by sequence
      this.lastSequence = frame.sequence;
      this.applied.push(frame.sequence);
      this.buttons.set(0, fromBase64(frame.data)[0]);
    }
  }

  step() {
    this.tick += 1;
    for (const [seat, body] of this.bodies) {
      this.bodies.set(seat, stepBody(YARD, body, this.buttons.get(seat) ?? 0, 1 / HZ));
    }
    this.history.set(this.tick, { ...this.bodies.get(0) });
    const set = new Map([[1, { type: 2, fields: Uint32Array.of(1800, 1) }]]);
    for (const [seat, b] of this.bodies) {
      const values = [b.x, b.y, 0, 100, 1, 0, 0, seat, seat === 0 ? 0 : 1];
      set.set(16 + seat, { type: 0, fields: Uint32Array.from(values, (v, i) => codec.quantize(schema.types[0].fields[i], v)) });
    }
    this.sent.set(this.tick, set);
    const baseline = this.sent.get(this.acked) ?? new Map();
    const baselineTick = this.sent.has(this.acked) ? this.acked : 0;
    return { tick: this.tick, baselineTick, data: codec.encodeDelta(schema, baseline, set) };
  }
}

/**
 * Runs client and server for `ticks` ticks with a one-way latency of `latencyTicks`; `controls(tick)` gives the
 * buttons held; `meddle(server)` may change the server's world before each step. Returns the last view.
 */
function play({ client, server, ticks, latencyTicks = 2, controls, meddle = () => {}, from = 0 }) {
  const toServer = [];
  const toClient = [];
  let view = null;
  for (let i = from; i < from + ticks; i += 1) {
    const now = i * TICK_MS;
    while (toServer.length && toServer[0].at <= i) server.receive(toServer.shift().message);
    meddle(server, i);
    toClient.push({ at: i + latencyTicks, snapshot: server.step() });
    while (toClient.length && toClient[0].at <= i) client.receiveSnapshot(toClient.shift().snapshot, now);
    const message = client.step(now + 1, { buttons: controls(i), aim: 0 });
    // Sent just after the tick's time, so it arrives just after the tick `latencyTicks` later: the next one.
    if (message) toServer.push({ at: i + latencyTicks + 1, message });
    view = client.view(now + 1);
  }
  return view;
}

test('prediction follows the server without corrections while nothing disturbs it', () => {
  const client = new ArenaNet(joined());
  client.recordRtt(4 * TICK_MS);
  const server = new SimServer([[0, 3, 3], [1, 45, 29]]);
  play({ client, server, ticks: 90, controls: (i) => (i < 60 ? BUTTONS.up | BUTTONS.right : 0) });
  const me = server.history.get(client.ackTick);
  assert.ok(me.x > 6 && me.y > 6, `the server moved the fighter: ${JSON.stringify(me)}`);
  assert.equal(client.stats.corrections, 0);
  const predicted = client.predictionAt(client.ackTick);
  assert.ok(Math.hypot(predicted.x - me.x, predicted.y - me.y) < 0.15, `${JSON.stringify(predicted)} vs ${JSON.stringify(me)}`);
});

test('a correction from the server is replayed over and converges', () => {
  const client = new ArenaNet(joined());
  client.recordRtt(4 * TICK_MS);
  const server = new SimServer([[0, 3, 3]]);
  // The server pushes the fighter 1.5 units right at tick 40 (something the client could not predict).
  const meddle = (s, i) => { if (i === 40) s.bodies.get(0).x += 1.5; };
  const controls = (i) => (i % 40 < 20 ? BUTTONS.up : BUTTONS.right);
  play({ client, server, ticks: 45, controls, meddle });
  assert.ok(client.stats.corrections >= 1, 'the push was noticed');
  play({ client, server, ticks: 45, controls, from: 45 });
  const me = server.history.get(client.ackTick);
  const predicted = client.predictionAt(client.ackTick);
  assert.ok(Math.hypot(predicted.x - me.x, predicted.y - me.y) < 0.15, `${JSON.stringify(predicted)} vs ${JSON.stringify(me)}`);
  // And what is shown has caught up with the prediction: the smoothing offset has decayed.
  const shown = client.view(90 * TICK_MS).me;
  const present = client.body;
  assert.ok(Math.hypot(shown.x - present.x, shown.y - present.y) < 0.05, `${JSON.stringify(shown)} vs ${JSON.stringify(present)}`);
});

test('others are interpolated between the snapshots around the render tick', () => {
  const client = new ArenaNet(joined(0));
  const server = new SimServer([[0, 3, 3], [1, 10, 10]]);
  const snaps = [];
  for (let i = 1; i <= 12; i += 1) {
    server.bodies.get(1).x = 10 + i * 0.25;  // one unit every four ticks
    snaps.push(server.step());
  }
  snaps.forEach((s, i) => client.receiveSnapshot(s, (i + 1) * TICK_MS));
  const delay = client.interpDelayTicks;
  assert.equal(delay, 2);  // no jitter: two snapshots behind
  // At tick 12's arrival plus half a tick, the render tick is 10.5: halfway between ticks 10 and 11.
  const view = client.view(12.5 * TICK_MS);
  assert.ok(Math.abs(view.renderTick - 10.5) < 1e-9, String(view.renderTick));
  const other = view.others.find((p) => p.seat === 1);
  assert.ok(Math.abs(other.x - (10 + 10.5 * 0.25)) < 1 / 16, String(other.x));
});

test('jittery arrivals widen the interpolation buffer', () => {
  const client = new ArenaNet(joined(0));
  const server = new SimServer([[0, 3, 3]]);
  for (let i = 1; i <= 120; i += 1) {
    const jitterMs = (i % 3) * 30;  // 0, 30, 60 ms late
    client.receiveSnapshot(server.step(), i * TICK_MS + jitterMs);
  }
  assert.ok(client.interpDelayTicks > 2.5, String(client.interpDelayTicks));
});

test('each input rides in three messages and stops once a snapshot covers its tick', () => {
  const client = new ArenaNet(joined());
  const server = new SimServer([[0, 3, 3]]);
  client.receiveSnapshot(server.step(), 0);
  const messages = [];
  for (let i = 1; i <= 5; i += 1) messages.push(client.step(i * TICK_MS, { buttons: BUTTONS.left, aim: 1 }));
  const seen = new Map();
  for (const m of messages) {
    assert.equal(m.roomId, '7');
    for (const f of m.inputs) seen.set(f.sequence, (seen.get(f.sequence) ?? 0) + 1);
  }
  assert.deepEqual([...seen.keys()], [1, 2, 3, 4, 5]);
  for (const sequence of [1, 2, 3]) assert.equal(seen.get(sequence), INPUT_COPIES);
  const frame = messages[4].inputs.at(-1);
  assert.deepEqual([...fromBase64(frame.data)], [BUTTONS.left, 0xbe, 0x28]);  // 1 rad = 10430 = 0x28be
  // A snapshot at the last input's tick: nothing is left to send again, and the ack says so.
  while (server.tick < frame.clientTick) server.step();
  assert.equal(client.receiveSnapshot(server.step(), 6 * TICK_MS), 'new');
  assert.deepEqual(client.unsentCopies, []);
  const next = client.step(7 * TICK_MS + 20, { buttons: 0, aim: 0 }) ?? client.step(8 * TICK_MS + 20, { buttons: 0, aim: 0 });
  assert.equal(next.ackTick, server.tick);
  assert.ok(next.inputs.every((f) => f.sequence > 5));
  server.receive({ ackTick: 0, inputs: [...messages.flatMap((m) => m.inputs), ...next.inputs] });
  assert.deepEqual(server.applied, [...new Set(server.applied)], 'the server saw each sequence once');
});

test('snapshots out of order, lost, or against a forgotten baseline', () => {
  const client = new ArenaNet(joined(0));
  const server = new SimServer([[0, 3, 3], [1, 10, 10]]);
  const at = (tick) => tick * TICK_MS;
  assert.equal(client.receiveSnapshot(server.step(), at(1)), 'new');   // tick 1, full
  server.receive({ ackTick: 1, inputs: [] });
  server.bodies.get(1).x = 11;
  const s2 = server.step();
  server.bodies.get(1).x = 12;
  const s3 = server.step();
  assert.equal(s3.baselineTick, 1);
  assert.equal(client.receiveSnapshot(s3, at(3)), 'new');            // 3 before 2
  assert.equal(client.receiveSnapshot(s2, at(3)), 'late');           // kept for interpolation, no ack change
  assert.equal(client.receiveSnapshot(s2, at(3)), 'duplicate');
  assert.equal(client.ackTick, 3);
  assert.equal(client.entitiesAt(2, 'player').find((p) => p.seat === 1).x, 11);
  // Ticks 4..8 are lost; tick 9 is encoded against the acknowledged 3 and decodes.
  server.receive({ ackTick: 3, inputs: [] });
  for (let i = 4; i <= 8; i += 1) server.step();
  server.bodies.get(1).x = 20;
  const s9 = server.step();
  assert.equal(s9.baselineTick, 3);
  assert.equal(client.receiveSnapshot(s9, at(9)), 'new');
  assert.equal(client.entitiesAt(9, 'player').find((p) => p.seat === 1).x, 20);
  // A delta against a tick this client never decoded cannot be applied: dropped, and counted.
  assert.equal(client.receiveSnapshot({ tick: 10, baselineTick: 8, data: s9.data }, at(10)), 'no_baseline');
  assert.equal(client.stats.noBaseline, 1);
  // Garbage is an error, never an exception.
  assert.equal(client.receiveSnapshot({ tick: 11, baselineTick: 9, data: 'AAAAAAAAAAAAAAAA' }, at(11)), 'error');
  assert.equal(client.ackTick, 9);
});

test('a spectator sends no inputs, only one acknowledgement per new snapshot', () => {
  const spectator = new ArenaNet({ ...joined(), you: { seat: -1, spectator: true } });
  assert.equal(spectator.seat, -1);
  const server = new SimServer([[0, 3, 3], [1, 20, 20]]);
  assert.equal(spectator.step(0, { buttons: BUTTONS.left, aim: 0 }), null, 'nothing to acknowledge yet');
  assert.equal(spectator.receiveSnapshot(server.step(), 0), 'new');
  const ack = spectator.step(TICK_MS, { buttons: BUTTONS.left, aim: 0 });
  assert.deepEqual(ack, { roomId: '7', ackTick: server.tick, inputs: [] });
  assert.equal(spectator.step(TICK_MS + 5, { buttons: BUTTONS.left, aim: 0 }), null, 'the same snapshot again');
  server.receive(ack);
  assert.equal(spectator.receiveSnapshot(server.step(), 2 * TICK_MS), 'new');
  assert.equal(spectator.step(2 * TICK_MS, { buttons: 0, aim: 0 }).ackTick, server.tick);
  const view = spectator.view(2 * TICK_MS);
  assert.equal(view.me, null);
  assert.equal(view.others.length, 2, 'a spectator sees every player');
});

test('the touch stick holds the directions it points to, diagonals as two, nothing inside the dead zone', () => {
  const { stickButtons, isStickTouch, STICK_DEAD_ZONE_PX } = touch;
  assert.equal(stickButtons(0, 0), 0);
  assert.equal(stickButtons(STICK_DEAD_ZONE_PX - 1, 0), 0, 'a resting thumb moves nothing');
  assert.equal(stickButtons(40, 0), BUTTONS.right);
  assert.equal(stickButtons(-40, 0), BUTTONS.left);
  assert.equal(stickButtons(0, -40), BUTTONS.up, 'screen y grows downwards, the map y upwards');
  assert.equal(stickButtons(0, 40), BUTTONS.down);
  assert.equal(stickButtons(30, -30), BUTTONS.right | BUTTONS.up);
  assert.equal(stickButtons(-30, 30), BUTTONS.left | BUTTONS.down);
  assert.equal(stickButtons(40, -10), BUTTONS.right, 'within 67.5 degrees of one axis only');
  assert.equal(stickButtons(Number.NaN, 5), 0);
  const box = { left: 10, width: 380 };
  assert.equal(isStickTouch(100, box), true);
  assert.equal(isStickTouch(300, box), false);
});
