// chat-fanout load generator for the Colyseus peer (see README.md for the scenario).
// All members live in this one process, so send and receive times share one clock and
// latency needs no clock sync. Prints exactly one JSON line on stdout; the rest goes to stderr.
//
// Usage: node load.js --url ws://127.0.0.1:PORT --server-pid PID
//                     [--members 200] [--rate 5] [--seconds 10] [--warmup 2] [--drain 2]
'use strict';
const fs = require('fs');
const { execSync } = require('child_process');
const { performance } = require('perf_hooks');
const { parseArgs } = require('util');
const { Client } = require('colyseus.js');

const { values: opt } = parseArgs({
  options: {
    url: { type: 'string' },
    'server-pid': { type: 'string' },
    members: { type: 'string', default: '200' },
    rate: { type: 'string', default: '5' }, // messages per member per second
    seconds: { type: 'string', default: '10' }, // measured window
    warmup: { type: 'string', default: '2' }, // seconds sent but not measured (JIT, buffers)
    drain: { type: 'string', default: '2' }, // seconds to wait for in-flight messages after the window
  },
});
const members = Number(opt.members);
const rate = Number(opt.rate);
const seconds = Number(opt.seconds);
const serverPid = Number(opt['server-pid']);
if (!opt.url || !serverPid || !(members > 0) || !(rate > 0) || !(seconds > 0)) {
  console.error('usage: load.js --url ws://host:port --server-pid PID [--members M] [--rate R] [--seconds S]');
  process.exit(2);
}

const log = (...a) => console.error('[load]', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const clkTck = Number(execSync('getconf CLK_TCK').toString());

// utime+stime of the server in microseconds. Fields 14 and 15 of /proc/PID/stat,
// counted after the ")" that closes the command name (which may contain spaces).
function serverCpuUs() {
  const stat = fs.readFileSync(`/proc/${serverPid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1e6) / clkTck;
}
function serverRssKb() {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${serverPid}/status`, 'utf8'))[1]);
}
const percentile = (sorted, p) => (sorted.length ? sorted[Math.floor(p * (sorted.length - 1))] : null);
const round = (x, digits) => (x == null ? null : Number(x.toFixed(digits)));

// Window bounds in performance.now() ms; set by the send loop when it takes the CPU
// snapshots, so deliveries, CPU and sends are all counted over the same interval.
let winStart = Infinity;
let winEnd = Infinity;
let receivedInWindow = 0; // deliveries whose receive time falls in the window (throughput)
let disconnects = 0;
// Latencies of deliveries whose *send* time falls in the window; their count is what
// "lost" is checked against. Preallocated so the hot path does not allocate.
const latencies = new Float64Array(members * members * rate * (seconds + 1));
let latencyCount = 0;

function onSaid(msg) {
  const now = performance.now();
  if (now >= winStart && now < winEnd) receivedInWindow++;
  if (msg.sent_at >= winStart && msg.sent_at < winEnd && latencyCount < latencies.length) {
    latencies[latencyCount++] = now - msg.sent_at;
  }
}

async function joinAll(client) {
  const rooms = [await client.joinOrCreate('chat')];
  // Joins go in small batches: each is an HTTP seat reservation plus a WebSocket
  // handshake, and a 200-wide burst would only measure the accept backlog.
  while (rooms.length < members) {
    const n = Math.min(20, members - rooms.length);
    rooms.push(...(await Promise.all(Array.from({ length: n }, () => client.joinById(rooms[0].roomId)))));
  }
  for (const room of rooms) {
    room.onMessage('said', onSaid);
    room.onLeave((code) => { disconnects++; log('member left, code', code); });
  }
  return rooms;
}

// Open-loop sender: message k is due at k / (M*R) seconds after start and goes to member
// k % M, so each member sends R/s and sends are spread evenly instead of in bursts.
// A late loop catches up at most 100 ms of backlog; anything older is skipped, so a
// saturated load generator shows up as a lower achieved send rate, not as a burst.
function runSends(rooms, warmupMs) {
  const perMs = (members * rate) / 1000;
  const maxBacklog = Math.ceil(perMs * 100);
  const texts = rooms.map((_, i) => `hello from member ${i}`);
  const t0 = performance.now();
  let next = 0;
  let sentInWindow = 0;
  const cpu = {};
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      if (winStart === Infinity && now - t0 >= warmupMs) {
        cpu.server0 = serverCpuUs();
        cpu.client0 = process.cpuUsage();
        winStart = performance.now();
      }
      if (now - winStart >= seconds * 1000) {
        cpu.server1 = serverCpuUs();
        cpu.client1 = process.cpuUsage(cpu.client0);
        winEnd = performance.now();
        clearInterval(timer);
        resolve({ sentInWindow, cpu });
        return;
      }
      const due = Math.floor((now - t0) * perMs);
      if (due - next > maxBacklog) next = due - maxBacklog;
      for (; next < due; next++) {
        const sentAt = performance.now();
        rooms[next % members].send('say', { text: texts[next % members], sent_at: sentAt });
        if (sentAt >= winStart) sentInWindow++;
      }
    }, 5);
  });
}

async function main() {
  const rssBefore = serverRssKb();
  const client = new Client(opt.url);
  const joinStart = performance.now();
  const rooms = await joinAll(client);
  log(`${members} members joined room ${rooms[0].roomId} in ${Math.round(performance.now() - joinStart)} ms`);
  await sleep(1000); // let join-time garbage settle before reading RSS
  const rssAfter = serverRssKb();

  const { sentInWindow, cpu } = await runSends(rooms, Number(opt.warmup) * 1000);
  await sleep(Number(opt.drain) * 1000);

  const windowS = (winEnd - winStart) / 1000;
  const deliveries = receivedInWindow;
  const expected = sentInWindow * members;
  const sorted = latencies.subarray(0, latencyCount).sort();
  const sendRate = sentInWindow / windowS;
  const clientCpuPct = ((cpu.client1.user + cpu.client1.system) / 1e6 / windowS) * 100;
  const serverCpuPct = ((cpu.server1 - cpu.server0) / 1e6 / windowS) * 100;
  if (disconnects) log(`${disconnects} members disconnected during the run`);
  log(`window ${windowS.toFixed(3)} s, sent ${sentInWindow} (${sendRate.toFixed(0)}/s of ${members * rate}/s target), client CPU ${clientCpuPct.toFixed(0)}%, server CPU ${serverCpuPct.toFixed(0)}%`);

  const result = {
    server: 'colyseus',
    scenario: 'chat-fanout',
    members,
    rate,
    seconds,
    deliveries_per_s: round(deliveries / windowS, 1),
    p50_ms: round(percentile(sorted, 0.5), 3),
    p99_ms: round(percentile(sorted, 0.99), 3),
    server_cpu_us_per_delivery: deliveries ? round((cpu.server1 - cpu.server0) / deliveries, 3) : null,
    server_rss_kb_per_member: round((rssAfter - rssBefore) / members, 2),
    expected_deliveries: expected,
    lost: expected - latencyCount,
    disconnects,
    send_rate_achieved: round(sendRate, 1),
    client_cpu_pct: round(clientCpuPct, 1),
    server_cpu_pct: round(serverCpuPct, 1),
    // A generator that keeps its send rate can still be the bottleneck on the receive
    // side (decoding M*M*R deliveries/s), which inflates latency: a full core counts too.
    client_saturated: sendRate < 0.9 * members * rate || clientCpuPct >= 90,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0); // members are not left one by one: run.sh stops the server anyway
}

main().catch((err) => {
  console.error('[load] failed:', err);
  process.exit(1);
});
