// Load generator for the arena scenario against Colyseus 0.16, with Colyseus's own client (colyseus.js), in Node:
// decoding @colyseus/schema patches in C++ would be a second implementation of that library, out of proportion to
// a benchmark. K rooms of P players: player 0 of each room creates it, the others join it by id; each player
// sends "input" {vx, vy} at --hz on its own timer with a random phase (a direction that changes now and then, as
// a bot wanders) and colyseus.js decodes every patch into its state, as a game client does.
// Measures over the window, as `guildhall bench arena` does: the server's user and system CPU (/proc/PID/stat) per
// room tick (room ticks = K * 20 * seconds: the simulation interval; Colyseus exposes no tick counter), the bytes
// read per player per second (WebSocket payload plus its frame header), RSS per room, and its own CPU.
// Usage: node arena_load.js --server ws://127.0.0.1:PORT --server-pid PID [--rooms K] [--players P] [--hz H]
//        [--seconds S] [--warmup W]      Prints one JSON line.
'use strict';
const fs = require('fs');
const { Client } = require('colyseus.js');

const kTicksPerSecond = 20;  // arena_room.js: setSimulationInterval(50 ms)
const kJoiningAtOnce = 8;    // rooms being set up at once, as the C++ generator does

function parseArgs(argv) {
  const o = { rooms: 100, players: 8, hz: 20, seconds: 10, warmup: 2, server: '', serverPid: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--server') o.server = v;
    else if (k === '--server-pid') o.serverPid = Number(v);
    else if (k === '--rooms') o.rooms = Number(v);
    else if (k === '--players') o.players = Number(v);
    else if (k === '--hz') o.hz = Number(v);
    else if (k === '--seconds') o.seconds = Number(v);
    else if (k === '--warmup') o.warmup = Number(v);
    else throw new Error(`unknown option ${k}`);
  }
  if (!o.server || !o.serverPid) throw new Error('--server and --server-pid are required');
  return o;
}

const ticksPerSecond = 100;  // _SC_CLK_TCK on Linux
function processStats(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]), stime = Number(fields[12]);  // fields 14 and 15 of the whole line
  const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { user: utime / ticksPerSecond, cpu: (utime + stime) / ticksPerSecond, rssKb: rss ? Number(rss[1]) : 0 };
}
function ownCpu() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Player {
  constructor(client) {
    this.client = client;
    this.bytes = 0;
    this.patches = 0;
    this.dir = { vx: 0, vy: 0 };
    this.turnIn = 0;
  }
  attach(room) {
    this.room = room;
    const ws = room.connection.transport.ws;
    const decode = ws.onmessage;
    ws.onmessage = (event) => {
      const n = event.data.byteLength;
      this.bytes += n + (n < 126 ? 2 : n < 65536 ? 4 : 10);  // server frames are unmasked
      decode(event);
    };
    room.onStateChange(() => { this.patches++; });
  }
  sendInput(hz) {
    if (--this.turnIn <= 0) {  // a new direction every 0.5..2 s
      this.dir = { vx: Math.round(Math.random() * 2 - 1), vy: Math.round(Math.random() * 2 - 1) };
      this.turnIn = Math.round(hz * (0.5 + Math.random() * 1.5));
    }
    this.room.send('input', this.dir);
  }
}

async function setUpRoom(o, players, k) {
  const first = players[k * o.players];
  first.attach(await first.client.create('arena'));
  const id = first.room.roomId;
  await Promise.all(players.slice(k * o.players + 1, (k + 1) * o.players).map(async (p) => p.attach(await p.client.joinById(id))));
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const endpoint = o.server;
  const players = Array.from({ length: o.rooms * o.players }, () => new Player(new Client(endpoint)));
  let errors = 0;
  const before = processStats(o.serverPid);
  for (let k = 0; k < o.rooms; k += kJoiningAtOnce) {
    const batch = [];
    for (let j = k; j < Math.min(o.rooms, k + kJoiningAtOnce); j++) batch.push(setUpRoom(o, players, j));
    await Promise.all(batch);
  }
  for (const p of players) p.room.onLeave(() => { errors++; });
  const joined = processStats(o.serverPid);

  const period = 1000 / o.hz;
  const timers = players.map((p) => setTimeout(() => {
    p.interval = setInterval(() => p.sendInput(o.hz), period);
  }, Math.random() * period));
  await sleep(o.warmup * 1000);
  const edge = () => ({ at: process.hrtime.bigint(), server: processStats(o.serverPid), own: ownCpu(),
    bytes: players.reduce((s, p) => s + p.bytes, 0), patches: players.reduce((s, p) => s + p.patches, 0) });
  const start = edge();
  await sleep(o.seconds * 1000);
  const end = edge();
  timers.forEach(clearTimeout);
  players.forEach((p) => clearInterval(p.interval));

  const seconds = Number(end.at - start.at) / 1e9;
  const roomTicks = Math.round(o.rooms * kTicksPerSecond * seconds);
  const total = o.rooms * o.players;
  const line = {
    server: 'colyseus', scenario: 'arena', transport: 'websocket', rooms: o.rooms, players: o.players, hz: o.hz,
    seconds: Number(seconds.toFixed(3)),
    server_cpu_us_per_room_tick: Number(((end.server.cpu - start.server.cpu) * 1e6 / roomTicks).toFixed(2)),
    server_user_us_per_room_tick: Number(((end.server.user - start.server.user) * 1e6 / roomTicks).toFixed(2)),
    p99_tick_ms: null, late_ticks: null,
    bytes_per_player_per_s: Number(((end.bytes - start.bytes) / total / seconds).toFixed(1)),
    server_rss_kb_per_room: Number(((joined.rssKb - before.rssKb) / o.rooms).toFixed(1)),
    room_ticks: roomTicks, room_ticks_from: 'expected',
    snapshots_per_player_per_s: Number(((end.patches - start.patches) / total / seconds).toFixed(2)),
    decode_errors: 0, errors,
    server_cpu_pct: Number((100 * (end.server.cpu - start.server.cpu) / seconds).toFixed(1)),
    client_cpu_pct: Number((100 * (end.own - start.own) / seconds).toFixed(1)),
  };
  console.log(JSON.stringify(line));
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
