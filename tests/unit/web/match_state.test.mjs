// web/match_state.js under Node's test runner: how the page builds a match from a snapshot, applies events,
// notices what it missed, and counts clocks down. The JSON is shaped as the server sends it: fields at their
// default value are absent, 64-bit numbers are strings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

// The module is a browser file without a package.json that marks it ESM; it imports nothing, so load its text.
const source = await readFile(new URL('../../../web/match_state.js', import.meta.url), 'utf8');
const { MatchState, timeControlText } = await import(`data:text/javascript,${encodeURIComponent(source)}`);

const players = [{ userId: '7', username: 'ada' }, { userId: '9', username: 'bob' }];

function info(fields = {}) {
  return { matchId: '42', game: 'chess', status: 'ACTIVE', players, drawOfferedBy: -1, ...fields };
}

function move(ply, seat, uci, display) {
  return { ply, seat, move: uci, display, atMs: '1000', clockMs: '60000' };
}

test('absent fields read as their proto defaults: seat 0, to move 0, ply 0, no clock', () => {
  const state = new MatchState({ info: info(), view: 'fen', legalMoves: ['e2e4'] }, 0);
  assert.equal(state.yourSeat, 0);
  assert.equal(state.info.toMove, 0);
  assert.equal(state.lastPly, 0);
  assert.equal(state.myTurn, true);
  assert.equal(state.hasClock, false);
  assert.equal(state.runningSeat, -1);
  assert.equal(state.statusText(), 'White to move: your turn');
});

test('a spectator (your_seat -1) may do nothing but watch', () => {
  const state = new MatchState({ info: info({ ply: 3 }), yourSeat: -1 }, 0);
  assert.equal(state.isPlayer, false);
  assert.deepEqual(Object.values(state.permitted), [false, false, false, false, false, false]);
});

test('moves arrive in order; a repeated one is stale and one after a hole asks for a catch-up', () => {
  const state = new MatchState({ info: info(), yourSeat: 1 }, 0);
  const moved = (m, fields) => ({ kind: 'MOVED', move: m, info: info(fields), view: `after ${m.ply}` });

  assert.equal(state.applyEvent(moved(move(1, 0, 'e2e4', 'e4'), { ply: 1, toMove: 1 }), 0), 'applied');
  assert.equal(state.myTurn, true);
  assert.equal(state.applyEvent(moved(move(1, 0, 'e2e4', 'e4'), { ply: 1, toMove: 1 }), 0), 'stale');
  assert.equal(state.applyEvent(moved(move(3, 0, 'g1f3', 'Nf3'), { ply: 3, toMove: 1 }), 0), 'gap');
  assert.equal(state.lastPly, 1);
  assert.equal(state.view, 'after 1');
  assert.deepEqual(state.moves.map((m) => m.display), ['e4']);
});

test('a catch-up snapshot (OpenMatch after_ply) extends the moves; one with a hole says so', () => {
  const state = new MatchState({ info: info({ ply: 1, toMove: 1 }), moves: [move(1, 0, 'e2e4', 'e4')] }, 0);
  const whole = state.applySnapshot({
    info: info({ ply: 3, toMove: 1 }), moves: [move(2, 1, 'e7e5', 'e5'), move(3, 0, 'g1f3', 'Nf3')],
  }, 0);
  assert.equal(whole, true);
  assert.deepEqual(state.moves.map((m) => m.display), ['e4', 'e5', 'Nf3']);

  const behind = new MatchState({ info: info({ ply: 1, toMove: 1 }), moves: [move(1, 0, 'e2e4', 'e4')] }, 0);
  assert.equal(behind.applySnapshot({ info: info({ ply: 3 }), moves: [move(3, 0, 'g1f3', 'Nf3')] }, 0), false);
});

test('only the running clock counts down, from the value and the moment of the last update', () => {
  const clocked = info({ timeControl: { initialMs: 300000, incrementMs: 3000 }, clockMs: ['120000', '90000'], toMove: 1,
    clockRunning: true });
  const state = new MatchState({ info: clocked }, 1000);
  assert.equal(state.runningSeat, 1);
  assert.equal(state.clockAt(0, 6000), 120000);
  assert.equal(state.clockAt(1, 6000), 85000);
  assert.equal(state.clockAt(1, 1_000_000), 0);
  assert.equal(timeControlText(clocked.timeControl), '5+3');
});

test('a clock the server has not started (before that side\'s first move) stands still', () => {
  const waiting = info({ timeControl: { initialMs: 300000 }, clockMs: ['300000', '300000'], toMove: 0 });
  const state = new MatchState({ info: waiting }, 1000);
  assert.equal(state.runningSeat, -1);
  assert.equal(state.clockAt(0, 60000), 300000);
});

test('draw offers, abort and results as the buttons and the status line show them', () => {
  const offered = new MatchState({ info: info({ ply: 4, drawOfferedBy: 1 }) }, 0);
  assert.deepEqual(offered.permitted,
    { resign: true, offerDraw: false, acceptDraw: true, declineDraw: true, abort: false, join: false });
  assert.equal(offered.statusText(), 'White to move: your turn · Black offers a draw');
  const mine = new MatchState({ info: info({ ply: 1, drawOfferedBy: 0 }) }, 0);
  assert.equal(mine.permitted.acceptDraw, false);
  assert.equal(mine.permitted.abort, true);

  const won = new MatchState({ info: info({ status: 'FINISHED', toMove: -1, result: { winner: 1, reason: 'checkmate' } }) }, 0);
  assert.equal(won.statusText(), 'Black wins by checkmate');
  // winner 0 is absent from the JSON, like every default.
  const white = new MatchState({ info: info({ status: 'FINISHED', game: 'tictactoe', result: { reason: 'three in a row' } }) }, 0);
  assert.equal(white.statusText(), 'X wins by three in a row');
  const draw = new MatchState({ info: info({ status: 'FINISHED', result: { winner: -1, reason: 'agreement' } }) }, 0);
  assert.equal(draw.statusText(), 'Draw by agreement');
  const open = new MatchState({ info: info({ status: 'OPEN', players: [players[0], { invited: ['bob'] }] }) }, 0);
  assert.equal(open.statusText(), 'Waiting for bob to join');
  assert.equal(open.permitted.abort, true);
});
