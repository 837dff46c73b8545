// The faults a player meets, each against a real server process (or a real socket that never answers): nothing
// listening, a listener that never answers, a server that stops answering, a network cut for one client, the
// server killed and started again, the server shutting down with a reason, and an expired access token. Each
// must end in a precise error or event, never a hang, and reconnection must resume what the client followed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
  ArenaNet, ConnectionLost, ConnectionRefused, ConnectTimeout, GuildhallClient, RequestTimeout, ServerClosed,
} from '../dist/index.js';
import { TcpProxy } from '../../../tests/e2e/tcp_proxy.mjs';
import { nextEvent, newUser, NodeWebSocket, record, serverWithPlayers } from './helpers.mjs';
import { freePorts, withLog } from './server.mjs';

const TEST_TIMEOUT_MS = 60_000;
const FAST_RECONNECT = { minDelayMs: 100, maxDelayMs: 500 };
const { server, player } = serverWithPlayers(['--set', 'rooms.reconnect_grace_ms=30000'], { reconnect: FAST_RECONNECT });

test('nothing listening: connect() rejects with ConnectionRefused at once and does not retry',
  { timeout: TEST_TIMEOUT_MS }, () => withLog(server, async () => {
    const [port] = await freePorts(1);
    const { session } = await newUser(server, 'ref');
    const client = new GuildhallClient({ WebSocket: NodeWebSocket, url: `ws://127.0.0.1:${port}/ws`, session });
    const statuses = record(client, 'status');
    const started = Date.now();
    await assert.rejects(client.connect(), ConnectionRefused);
    assert.ok(Date.now() - started < 5_000);
    assert.equal(client.state, 'offline');
    assert.ok(!statuses.some((s) => s.state === 'reconnecting'));
  }));

test('a listener that never answers: ConnectTimeout after connectTimeoutMs', { timeout: TEST_TIMEOUT_MS },
  () => withLog(server, async () => {
    const silent = net.createServer(() => {});  // accepts, then says nothing
    await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { session } = await newUser(server, 'sil');
      const client = new GuildhallClient({
        WebSocket: NodeWebSocket, url: `ws://127.0.0.1:${silent.address().port}/ws`, session,
        connectTimeoutMs: 500,
      });
      const started = Date.now();
      await assert.rejects(client.connect(), (err) => err instanceof ConnectTimeout && err.code === 'TIMEOUT');
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 450 && elapsed < 5_000, `gave up after ${elapsed} ms`);
    } finally {
      silent.close();
    }
  }));

test('a server that stops answering: RequestTimeout, then reconnection once it answers again',
  { timeout: TEST_TIMEOUT_MS }, () => withLog(server, async () => {
    const { client } = await player('req', { requestTimeoutMs: 1_000, connectTimeoutMs: 2_000 });
    const channel = `stall-${Date.now()}`;
    await client.joinChannel(channel);
    const reconnecting = nextEvent(client, 'status', (s) => s.state === 'reconnecting');
    await server.pause();
    try {
      await assert.rejects(client.listMembers(channel), (err) => err instanceof RequestTimeout
        && err.kind === 'listMembers');
      assert.ok((await reconnecting).error instanceof RequestTimeout);
    } finally {
      server.resume();
    }
    const rejoined = await nextEvent(client, 'channelrejoined', (j) => j.channel === channel);
    assert.equal(rejoined.members.length, 1);
    assert.equal(client.online, true);
    await client.sendMessage(channel, 'back');
  }));

test('one client cut off and back: chat channel, room seat and match with its missed moves are resumed',
  { timeout: TEST_TIMEOUT_MS }, () => withLog(server, async () => {
    const proxy = new TcpProxy();
    const proxyPort = await proxy.start(Number(new URL(server.baseUrl).port));
    try {
      const ada = await player('ada', { url: `ws://127.0.0.1:${proxyPort}/ws` });
      const bob = await player('bob');
      const channel = `cut-${Date.now()}`;
      await ada.client.joinChannel(channel);
      await bob.client.joinChannel(channel);
      const match = await ada.client.createMatch({ game: 'tictactoe', seat: 'SEAT_FIRST' });
      const matchId = match.info.matchId;
      await bob.client.joinMatch(matchId);
      await ada.client.makeMove(matchId, '4', 0);
      const room = await ada.client.createRoom({ type: 'arena', options: { bots: '1' }, private: true });

      const lost = nextEvent(ada.client, 'status', (s) => s.state === 'reconnecting');
      proxy.cut();
      assert.ok((await lost).error instanceof ConnectionLost);
      await bob.client.makeMove(matchId, '0', 1);  // made while ada is away
      const rejoined = nextEvent(ada.client, 'channelrejoined', (j) => j.channel === channel);
      const resumed = nextEvent(ada.client, 'matchresumed', (m) => m.info?.matchId === matchId);
      const back = nextEvent(ada.client, 'roomrejoined');
      proxy.restore();

      await rejoined;
      const snapshot = await resumed;
      assert.deepEqual(snapshot.moves.map((m) => m.move), ['0'], 'only the move missed while away');
      assert.equal(snapshot.info.ply, 2);
      const seat = await back;
      assert.equal(seat.room.roomId, room.room.roomId);
      assert.equal(seat.returned, true);
      const arena = new ArenaNet(seat);
      const decoded = await nextEvent(ada.client, 'roomsnapshot',
        (s) => arena.receiveSnapshot(s, performance.now()) === 'new');
      assert.equal(decoded.roomId, room.room.roomId);
      const heard = nextEvent(ada.client, 'chatmessage', (m) => m.text === 'welcome back');
      await bob.client.sendMessage(channel, 'welcome back');
      await heard;
    } finally {
      await proxy.stop();
    }
  }));

test('the server killed and started again: the client reconnects by itself and resumes its channel',
  { timeout: TEST_TIMEOUT_MS }, () => withLog(server, async () => {
    const { client } = await player('kil');
    const channel = `kill-${Date.now()}`;
    await client.joinChannel(channel);
    const lost = nextEvent(client, 'status', (s) => s.state === 'reconnecting');
    await server.kill();
    const why = (await lost).error;
    assert.ok(why instanceof ConnectionLost, `${why?.name}: ${why?.message}`);
    await assert.rejects(client.sendMessage(channel, 'into the void'), { code: 'DISCONNECTED' });
    const rejoined = nextEvent(client, 'channelrejoined', (j) => j.channel === channel);
    const online = nextEvent(client, 'authenticated');
    await server.start();
    await online;
    await rejoined;
    const history = await client.channelHistory(channel);
    assert.deepEqual(history.messages ?? [], []);
    await client.sendMessage(channel, 'after the restart');
  }));

test('the server shutting down says why: Closing 3001, ServerClosed, and reconnection after it is back',
  { timeout: TEST_TIMEOUT_MS }, () => withLog(server, async () => {
    const { client } = await player('term');
    const closing = nextEvent(client, 'closing');
    const reconnecting = nextEvent(client, 'status', (s) => s.state === 'reconnecting');
    await server.stop();
    assert.equal((await closing).code, 3001);
    const status = await reconnecting;
    assert.ok(status.error instanceof ServerClosed);
    assert.equal(status.error.closeCode, 3001);
    assert.equal(status.code, 3001);
    assert.equal(status.error.transient, true);
    const online = nextEvent(client, 'authenticated');
    await server.start();
    await online;
  }));

test('connect() when the server is down is refused; stop() during reconnection ends it for good',
  { timeout: TEST_TIMEOUT_MS }, () => withLog(server, async () => {
    const { client } = await player('stop');
    const reconnecting = nextEvent(client, 'status', (s) => s.state === 'reconnecting');
    await server.stop();
    await reconnecting;
    const offline = nextEvent(client, 'status', (s) => s.state === 'offline');
    client.stop();
    assert.equal((await offline).state, 'offline');
    const late = new GuildhallClient({
      WebSocket: NodeWebSocket, url: server.wsUrl, session: client.session,
    });
    await assert.rejects(late.connect(), ConnectionRefused);
    await server.start();
  }));

test('keep-alive: with no request in flight, an unanswered Ping alone finds the dead connection',
  { timeout: TEST_TIMEOUT_MS }, () => withLog(server, async () => {
    const { client } = await player('ping', { pingIntervalMs: 200, requestTimeoutMs: 800, connectTimeoutMs: 2_000 });
    const dead = nextEvent(client, 'status', (s) => s.state === 'reconnecting');
    await server.pause();
    try {
      const { error } = await dead;
      assert.ok(error instanceof RequestTimeout, `${error?.name}`);
      assert.equal(error.kind, 'ping');
    } finally {
      server.resume();
    }
    await nextEvent(client, 'authenticated');
  }));

test('backoff: each wait doubles up to the ceiling, jitter draws it in [half, all], maxAttempts gives up',
  { timeout: TEST_TIMEOUT_MS }, () => withLog(server, async () => {
    const { client } = await player('back', {
      reconnect: { minDelayMs: 100, maxDelayMs: 400, maxAttempts: 4 }, random: () => 0,
    });
    const statuses = record(client, 'status');
    const gaveUp = nextEvent(client, 'status', (s) => s.state === 'offline');
    await server.stop();
    try {
      const { error } = await gaveUp;
      assert.ok(error instanceof ConnectionRefused, `${error?.name}`);
      const waits = statuses.filter((s) => s.state === 'reconnecting');
      // random() = 0 takes the lower bound: half of 100, 200, 400, 400 (the ceiling).
      assert.deepEqual(waits.map((s) => s.delayMs), [50, 100, 200, 200]);
      assert.deepEqual(waits.map((s) => s.attempt), [1, 2, 3, 4]);
      assert.ok(waits[0].error instanceof ServerClosed);
      assert.ok(waits.slice(1).every((s) => s.error instanceof ConnectionRefused));
    } finally {
      await server.start();
    }
  }));
