// Every call of @guildhall/client against a real `guildhall serve`: the HTTP auth API, chat (channels, direct
// messages, history, presence), turn-based matches (create, join, move, resume from a ply, actions,
// notifications, leaderboards), rooms with decoded snapshots and predicted inputs, and the matchmaker.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ArenaNet, AuthFailed, BUTTONS, GuildhallClient, makeAuthApi, NotConnected, ServerError, socketUrlFor,
} from '../dist/index.js';
import { nextEvent, newUser, NodeWebSocket, record, serverWithPlayers } from './helpers.mjs';
import { withLog } from './server.mjs';

const { server, player } = serverWithPlayers(
  ['--set', 'matchmaker.fill_wait_ms=0', '--set', 'matchmaker.interval_ms=50']);
const TEST_TIMEOUT_MS = 60_000;

test('the HTTP auth API: register, login, guest, refresh rotates, logout revokes, refusals are typed',
  { timeout: TEST_TIMEOUT_MS }, () => withLog(server, async () => {
    const { auth, session, username, password } = await newUser(server, 'auth');
    assert.equal(session.username, username);
    assert.match(session.user_id, /^\d+$/);
    const login = await auth.login(username, password);
    assert.equal(login.user_id, session.user_id);
    await assert.rejects(auth.login(username, 'wrong-password-1'), (err) => err instanceof AuthFailed
      && err.code === 'AUTH_FAILED');
    await assert.rejects(auth.register(username, password), (err) => err instanceof ServerError
      && !(err instanceof AuthFailed) && err.code === 'USERNAME_TAKEN');
    const guest = await auth.guest('sdk-js-device-0001');
    assert.match(guest.username, /^guest-/);
    assert.equal((await auth.guest('sdk-js-device-0001')).user_id, guest.user_id);
    const refreshed = await auth.refresh(login.refresh_token);
    assert.notEqual(refreshed.refresh_token, login.refresh_token);
    await auth.logout(refreshed.refresh_token);
    await assert.rejects(auth.refresh(refreshed.refresh_token), AuthFailed);
    assert.equal(socketUrlFor(server.baseUrl), server.wsUrl);
  }));

test('chat: join, messages both ways, presence, members, history pages, direct messages, leave',
  { timeout: TEST_TIMEOUT_MS }, () => withLog(server, async () => {
    const ada = await player('ada');
    const bob = await player('bob');
    const channel = `sdk-${Date.now()}`;
    const joined = await ada.client.joinChannel(channel);
    assert.equal(joined.channel, channel);
    const presence = nextEvent(ada.client, 'presence', (p) => p.member?.username === bob.username);
    await bob.client.joinChannel(channel);
    assert.equal((await presence).kind, 'JOINED');
    assert.deepEqual(ada.client.channels, [channel]);
    const members = await bob.client.listMembers(channel);
    assert.deepEqual(members.members.map((m) => m.username).sort(), [ada.username, bob.username].sort());

    const arrived = nextEvent(bob.client, 'chatmessage', (m) => m.text === 'hello from ada');
    const accepted = await ada.client.sendMessage(channel, 'hello from ada');
    assert.match(accepted.messageId, /^\d+$/);
    const message = await arrived;
    assert.equal(message.fromUsername, ada.username);
    assert.equal(message.channel, channel);
    for (let i = 0; i < 3; i += 1) await bob.client.sendMessage(channel, `line ${i}`);
    const newest = await ada.client.channelHistory(channel, undefined, 2);
    assert.deepEqual(newest.messages.map((m) => m.text), ['line 2', 'line 1']);
    const older = await ada.client.channelHistory(channel, newest.nextBeforeId, 10);
    assert.deepEqual(older.messages.map((m) => m.text), ['line 0', 'hello from ada']);

    const direct = nextEvent(bob.client, 'chatmessage', (m) => m.toUsername === bob.username);
    await ada.client.sendDirect(bob.username, 'psst');
    assert.equal((await direct).text, 'psst');
    const conversation = await bob.client.directHistory(ada.username);
    assert.deepEqual(conversation.messages.map((m) => m.text), ['psst']);

    const left = nextEvent(ada.client, 'presence', (p) => p.kind === 'LEFT');
    await bob.client.leaveChannel(channel);
    assert.equal((await left).member.username, bob.username);
    await assert.rejects(bob.client.sendMessage(channel, 'gone'), (err) => err instanceof ServerError
      && err.code === 'NOT_MEMBER');
    await assert.rejects(bob.client.sendDirect('nobody-here-42', 'hi'), { code: 'NOT_FOUND' });
    assert.ok(await ada.client.measureRtt() >= 0);
  }));

test('matches: create, join, moves pushed to both, resume from a ply, resign, lists, leaderboard, notifications',
  { timeout: TEST_TIMEOUT_MS }, () => withLog(server, async () => {
    const ada = await player('ada');
    const bob = await player('bob');
    const created = await ada.client.createMatch({ game: 'tictactoe', seat: 'SEAT_FIRST' });
    const matchId = created.info.matchId;
    assert.equal(created.info.status, 'OPEN');
    const open = await bob.client.listOpenMatches('tictactoe');
    assert.ok(open.matches.some((m) => m.matchId === matchId));
    const invited = nextEvent(ada.client, 'matchevent', (e) => e.kind === 'STARTED' || e.kind === 'PLAYER_JOINED');
    const joined = await bob.client.joinMatch(matchId);
    assert.equal(joined.yourSeat, 1);
    await invited;

    const moved = nextEvent(bob.client, 'matchevent', (e) => e.kind === 'MOVED' && e.move?.move === '4');
    const accepted = await ada.client.makeMove(matchId, '4', 0);
    assert.equal(accepted.move.ply, 1);
    assert.equal((await moved).info.ply, 1);
    await assert.rejects(ada.client.makeMove(matchId, '0', 1), { code: 'NOT_YOUR_TURN' });
    await assert.rejects(bob.client.makeMove(matchId, '4', 1), { code: 'ILLEGAL_MOVE' });
    await bob.client.makeMove(matchId, '0', 1);

    const resumed = await ada.client.openMatch(matchId, 1);
    assert.deepEqual(resumed.moves.map((m) => m.move), ['0']);
    const mine = await ada.client.listMyMatches();
    assert.ok(mine.matches.some((m) => m.matchId === matchId));

    const ended = nextEvent(ada.client, 'matchevent', (e) => e.kind === 'ENDED');
    // The end is notified to every player, watching or not (stored, pushed, acknowledged by the SDK).
    const over = nextEvent(ada.client, 'notification', (n) => n.kind === 'GAME_OVER' && n.matchId === matchId);
    const resigned = await bob.client.resign(matchId);
    assert.equal(resigned.info.status, 'FINISHED');
    assert.equal((await ended).info.result.winner ?? 0, 0);
    assert.match((await over).text, /tictactoe/);
    const board = await ada.client.getLeaderboard('tictactoe', { limit: 10 });
    assert.equal(board.game, 'tictactoe');
    assert.ok(Array.isArray(board.entries ?? []));
  }));

test('rooms: a private arena with bots sends snapshots that ArenaNet decodes; inputs move our fighter',
  { timeout: TEST_TIMEOUT_MS }, () => withLog(server, async () => {
    const ada = await player('ada');
    const joined = await ada.client.createRoom({ type: 'arena', options: { bots: '2', seed: '7' }, private: true });
    assert.equal(ada.client.room.room.roomId, joined.room.roomId);
    const net = new ArenaNet(joined);
    assert.equal(net.seat, joined.you.seat ?? 0);
    let view = null;
    let start = null;
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no movement; stats ${JSON.stringify(net.stats)}`)), 15_000);
      ada.client.addEventListener('roomsnapshot', ({ detail }) => {
        const now = performance.now();
        net.receiveSnapshot(detail, now);
        const input = net.step(now, { buttons: BUTTONS.right, aim: 0 });
        if (input) ada.client.sendRoomInput(input);
        view = net.view(now);
        if (!view?.me?.alive) return;
        start ??= view.me.x;
        if (view.me.x > start + 1) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    assert.ok(net.stats.snapshots > 0);
    assert.equal(net.stats.errors, 0);
    assert.equal(view.me.seat, net.seat);
    assert.ok(view.others.length <= 2, 'at most the two bots besides us');
    const rooms = await ada.client.listRooms('arena');
    assert.ok(Array.isArray(rooms.rooms ?? []));
    assert.equal(ada.client.sendRoomMessage(joined.room.roomId, 'noise', '{}'), true);
    await ada.client.leaveRoom(joined.room.roomId);
    assert.equal(ada.client.room, null);
  }));

test('matchmaker: two players queue, are matched, and join the room with their reservations',
  { timeout: TEST_TIMEOUT_MS }, () => withLog(server, async () => {
    const ada = await player('ada');
    const bob = await player('bob');
    const group = `sdk-${Date.now()}`;  // only these two match each other
    const spec = { roomType: 'arena', stringProperties: { mode: 'ffa', group }, query: { equal: { group } },
      minCount: 2, maxCount: 2 };
    const adaMatched = nextEvent(ada.client, 'matchmakermatched');
    const bobMatched = nextEvent(bob.client, 'matchmakermatched');
    const ticket = await ada.client.matchmakerAdd(spec);
    assert.match(ticket.ticket, /^\d+$/);
    await bob.client.matchmakerAdd(spec);
    const [a, b] = await Promise.all([adaMatched, bobMatched]);
    assert.equal(a.roomId, b.roomId);
    const inRoom = await Promise.all([
      ada.client.joinRoom({ roomId: a.roomId, reservation: a.reservation }),
      bob.client.joinRoom({ roomId: b.roomId, reservation: b.reservation }),
    ]);
    assert.deepEqual(inRoom.map((j) => j.room.roomId), [a.roomId, a.roomId]);

    const carol = await player('carol');
    const again = await carol.client.matchmakerAdd({ ...spec, stringProperties: { mode: 'ffa', group: 'alone' } });
    await carol.client.matchmakerRemove(again.ticket);
    await assert.rejects(carol.client.matchmakerRemove(again.ticket), ServerError);
  }));

test('before connect and after stop, calls fail with NotConnected; a bad token is AuthFailed, not retried',
  { timeout: TEST_TIMEOUT_MS }, () => withLog(server, async () => {
    const { session, auth } = await newUser(server, 'nc');
    const client = new GuildhallClient({ WebSocket: NodeWebSocket, url: server.wsUrl, session, auth });
    await assert.rejects(client.joinChannel('lobby'), NotConnected);
    assert.equal(client.sendRoomInput({ roomId: '1' }), false);
    await client.connect();
    client.stop();
    assert.equal(client.state, 'offline');
    await assert.rejects(client.sendMessage('lobby', 'x'), NotConnected);

    // An injected WebSocket constructor is the one used; without any, construction says what to do.
    let made = 0;
    const Counting = class extends NodeWebSocket {
      constructor(url) {
        super(url);
        made += 1;
      }
    };
    const injected = new GuildhallClient({ url: server.wsUrl, session, auth, WebSocket: Counting });
    await injected.connect();
    injected.stop();
    assert.equal(made, 1);
    const saved = globalThis.WebSocket;
    delete globalThis.WebSocket;
    try {
      assert.throws(() => new GuildhallClient({ url: server.wsUrl, session }), /no WebSocket in this runtime/);
    } finally {
      if (saved !== undefined) globalThis.WebSocket = saved;
    }

    const forged = new GuildhallClient({
      WebSocket: NodeWebSocket, url: server.wsUrl, session: { ...session, token: 'not-a-token' },
    });
    const statuses = record(forged, 'status');
    const ended = nextEvent(forged, 'sessionended');
    await assert.rejects(forged.connect(), (err) => err instanceof AuthFailed && err.code === 'AUTH_FAILED');
    assert.ok((await ended) instanceof AuthFailed);
    assert.equal(statuses.at(-1).state, 'offline');
    assert.ok(!statuses.some((s) => s.state === 'reconnecting'));
  }));
