// Turn-based play through the web client in a real browser against a real server process: two people play
// fool's mate by clicking squares while a third watches, one plays the bot by dragging a piece, one resigns
// after confirming, a pawn promotes through the piece chooser, a draw offer is declined then accepted, and two
// people play tic-tac-toe to a win, with one of them dropping off the network mid-game and catching up on
// reconnect. See README.md.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Harness, signIn } from './harness.mjs';
import { TcpProxy } from './tcp_proxy.mjs';

const TEST_TIMEOUT_MS = 90_000;

const harness = new Harness();
const password = `pw-${randomBytes(8).toString('hex')}`;

before(() => harness.start(), { timeout: 40_000 });
after(() => harness.stop());

/** A new page with a newly registered user, on the Play tab; `url` is where the page loads from. */
async function player(name, url = harness.baseUrl) {
  const page = await harness.openPage(url);
  await signIn(page, '#register', `${name}-${randomBytes(4).toString('hex')}`, password);
  await page.click('[data-testid="tab-play"]');
  await page.locator('[data-testid="lobby"]').waitFor();
  return page;
}

/** Fills the create form and submits it; returns the new match's id once the match is on screen. */
async function createMatch(page, { game, time = 'none', seat = 'SEAT_ANY', bot = false, fen = '' }) {
  await page.selectOption('[data-testid="create-game"]', game);
  if (game === 'chess') await page.fill('[data-testid="create-fen"]', fen);
  await page.selectOption('[data-testid="create-time"]', time);
  await page.selectOption('[data-testid="create-seat"]', seat);
  await page.setChecked('[data-testid="create-bot"]', bot);
  await page.click('[data-testid="create-submit"]');
  const view = page.locator(`[data-testid="match-view"][data-game="${game}"][data-match-id]`);
  await view.waitFor();
  return view.getAttribute('data-match-id');
}

/** Finds the match in the open-match list (refreshing it) and joins it. */
async function joinMatch(page, matchId) {
  await page.click('[data-testid="lobby-refresh"]');
  await page.click(`[data-testid="open-matches"] [data-match-id="${matchId}"] [data-action="join"]`);
  await page.locator(`[data-testid="match-view"][data-match-id="${matchId}"]`).waitFor();
}

const status = (page) => page.locator('[data-testid="match-status"]');

async function waitStatus(page, attributes) {
  const selector = Object.entries(attributes).map(([k, v]) => `[data-${k}="${v}"]`).join('');
  await page.locator(`[data-testid="match-status"]${selector}`).waitFor();
}

/** Waits until the move list holds `ply` moves and returns their texts. */
async function movesAfter(page, ply) {
  await page.locator(`[data-testid="move-list"] .move[data-ply="${ply}"]`).waitFor();
  return page.locator('[data-testid="move-list"] .move[data-ply]').allTextContents();
}

/** Clicks a piece, checks the destination is hinted, clicks it. */
async function clickMove(page, from, to) {
  await page.click(`[data-square="${from}"][data-movable="true"]`);
  await page.locator(`[data-square="${from}"][data-selected="true"]`).waitFor();
  await page.click(`[data-square="${to}"][data-hint]`);
}

/** Drags a piece with the mouse: press on `from`, move in steps, release on `to`. */
async function dragMove(page, from, to) {
  const source = page.locator(`[data-square="${from}"][data-movable="true"]`);
  await source.waitFor();
  const a = await source.boundingBox();
  const b = await page.locator(`[data-square="${to}"]`).boundingBox();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
  await page.mouse.up();
}

const pieceOn = (page, square) => page.locator(`[data-square="${square}"] .piece`).getAttribute('data-piece');

async function assertNoErrors(...pages) {
  for (const page of pages) {
    const banner = page.locator('[data-testid="error"]');
    assert.equal(await banner.isVisible(), false, await banner.textContent());
  }
  assert.deepEqual(harness.pageErrors.map(String), []);
}

test('two pages play fool\'s mate by clicking squares; both see black win by checkmate', { timeout: TEST_TIMEOUT_MS },
  () => harness.run(async () => {
    const white = await player('white');
    const black = await player('black');
    const watcher = await player('watcher');
    const matchId = await createMatch(white, { game: 'chess', time: '5+3', seat: 'SEAT_FIRST' });
    await waitStatus(white, { status: 'OPEN' });
    await watcher.click('[data-testid="lobby-refresh"]');
    await watcher.click(`[data-testid="open-matches"] [data-match-id="${matchId}"] [data-action="watch"]`);
    await waitStatus(watcher, { status: 'OPEN' });
    await joinMatch(black, matchId);

    for (const page of [white, black, watcher]) await waitStatus(page, { status: 'ACTIVE', 'to-move': '0' });
    assert.equal(await white.locator('[data-testid="chess-board"]').getAttribute('data-orientation'), 'white');
    assert.equal(await watcher.locator('[data-testid="chess-board"]').getAttribute('data-orientation'), 'white');
    assert.equal(await black.locator('[data-testid="chess-board"]').getAttribute('data-orientation'), 'black');
    // Each side's clock starts after its own first move, so neither runs yet.
    await white.locator('[data-testid="clock-0"][data-running="false"]').waitFor();
    assert.equal(await white.locator('[data-testid="clock-1"]').getAttribute('data-running'), 'false');

    // Only the player to move gets legal moves: black's pieces cannot be picked up yet, nor the watcher's.
    assert.equal(await black.locator('[data-square][data-movable]').count(), 0);
    assert.equal(await watcher.locator('[data-square][data-movable]').count(), 0);
    assert.equal(await watcher.locator('[data-testid="resign"]').isDisabled(), true);

    const plies = [['f2', 'f3', white], ['e7', 'e5', black], ['g2', 'g4', white], ['d8', 'h4', black]];
    for (const [index, [from, to, page]] of plies.entries()) {
      await clickMove(page, from, to);
      await movesAfter(white, index + 1);
      await movesAfter(black, index + 1);
      // After both first moves, white's clock runs on white's turn.
      if (index === 1) await white.locator('[data-testid="clock-0"][data-running="true"]').waitFor();
    }

    for (const page of [white, black, watcher]) {
      await waitStatus(page, { status: 'FINISHED', winner: '1', reason: 'checkmate' });
      assert.equal(await status(page).textContent(), 'Black wins by checkmate');
      assert.deepEqual(await movesAfter(page, 4), ['f3', 'e5', 'g4', 'Qh4#']);
      assert.equal(await pieceOn(page, 'h4'), 'bQ');
      assert.equal(await page.locator('[data-square="d8"][data-last-move="true"]').count(), 1);
      assert.equal(await page.locator('[data-square="e1"][data-check="true"]').count(), 1);
      assert.equal(await page.locator('[data-square][data-movable]').count(), 0);
      assert.equal(await page.locator('[data-testid="resign"]').isDisabled(), true);
    }
    assert.equal(await white.locator('[data-testid="match-result"]').textContent(), 'You lost');
    assert.equal(await black.locator('[data-testid="match-result"]').textContent(), 'You won');
    assert.equal(await watcher.locator('[data-testid="match-result"]').isVisible(), false);
    await assertNoErrors(white, black, watcher);
  }));

test('a page plays the bot: one move by drag, and the bot\'s answer appears on the board and in the move list',
  { timeout: TEST_TIMEOUT_MS }, () => harness.run(async () => {
    const page = await player('solo');
    await createMatch(page, { game: 'chess', time: '10+0', seat: 'SEAT_FIRST', bot: true });
    await waitStatus(page, { status: 'ACTIVE', 'to-move': '0', 'your-turn': 'true' });
    assert.equal(await page.locator('[data-testid="player-1"] .tag', { hasText: 'bot' }).count(), 1);

    await dragMove(page, 'e2', 'e4');
    const moves = await movesAfter(page, 2);
    assert.equal(moves[0], 'e4');
    await waitStatus(page, { status: 'ACTIVE', 'to-move': '0', 'your-turn': 'true' });

    // The bot's move, as UCI in the list entry's title, is what the board now shows.
    const reply = await page.locator('[data-testid="move-list"] .move[data-ply="2"]').getAttribute('title');
    assert.match(reply, /^[a-h][1-8][a-h][1-8][qrbn]?$/);
    const [from, to] = [reply.slice(0, 2), reply.slice(2, 4)];
    assert.equal(await page.locator(`[data-square="${from}"] .piece`).count(), 0);
    assert.match(await pieceOn(page, to), /^b[PNBRQK]$/);
    assert.equal(await page.locator(`[data-square="${to}"][data-last-move="true"]`).count(), 1);
    assert.equal(await pieceOn(page, 'e4'), 'wP');
    assert.equal(await page.locator('[data-square="e2"] .piece').count(), 0);
    await page.locator('[data-testid="clock-0"][data-running="true"]').waitFor();
    await assertNoErrors(page);
  }));

test('resigning asks first: "Keep playing" goes on with the game, "Yes, resign" ends it', { timeout: TEST_TIMEOUT_MS },
  () => harness.run(async () => {
    const page = await player('quitter');
    await createMatch(page, { game: 'chess', seat: 'SEAT_FIRST', bot: true });
    await waitStatus(page, { status: 'ACTIVE', 'your-turn': 'true' });
    const confirm = page.locator('[data-testid="resign-confirm"]');
    assert.equal(await confirm.isVisible(), false);

    await page.click('[data-testid="resign"]');
    await confirm.waitFor();
    await page.click('[data-testid="resign-no"]');
    await confirm.waitFor({ state: 'hidden' });
    await dragMove(page, 'e2', 'e4');  // the game goes on: a move, and the bot's answer
    await movesAfter(page, 2);
    await waitStatus(page, { status: 'ACTIVE', 'your-turn': 'true' });

    await page.click('[data-testid="resign"]');
    await page.click('[data-testid="resign-yes"]');
    await waitStatus(page, { status: 'FINISHED', winner: '1', reason: 'resignation' });
    assert.equal(await page.locator('[data-testid="match-result"]').textContent(), 'You lost');
    assert.equal(await confirm.isVisible(), false);
    await assertNoErrors(page);
  }));

test('a pawn reaching the last rank asks which piece to promote to, and the choice is played', {
  timeout: TEST_TIMEOUT_MS,
}, () => harness.run(async () => {
  const page = await player('promoter');
  await createMatch(page, { game: 'chess', seat: 'SEAT_FIRST', bot: true, fen: '8/4P3/8/8/8/8/k6r/4K3 w - - 0 1' });
  await waitStatus(page, { status: 'ACTIVE', 'your-turn': 'true' });

  await page.click('[data-square="e7"][data-movable="true"]');
  await page.click('[data-square="e8"][data-hint]');
  const picker = page.locator('[data-testid="promotion-picker"]');
  await picker.waitFor();
  assert.deepEqual(await picker.locator('[data-promotion]').evaluateAll((all) => all.map((b) => b.dataset.promotion)),
    ['q', 'r', 'b', 'n']);
  await picker.locator('[data-promotion="n"]').click();

  const moves = await movesAfter(page, 2);  // the knight, then the bot's answer
  assert.equal(moves[0], 'e8=N');
  assert.equal(await page.locator('[data-testid="move-list"] .move[data-ply="1"]').getAttribute('title'), 'e7e8n');
  assert.equal(await pieceOn(page, 'e8'), 'wN');
  assert.equal(await picker.count(), 0);
  await assertNoErrors(page);
}));

test('a draw offer can be declined, and a second one accepted', { timeout: TEST_TIMEOUT_MS },
  () => harness.run(async () => {
    const x = await player('offerer');
    const o = await player('answerer');
    const matchId = await createMatch(x, { game: 'tictactoe', seat: 'SEAT_FIRST' });
    assert.equal(await x.locator('[data-testid="offer-draw"]').isDisabled(), true);  // nobody to offer it to yet
    await joinMatch(o, matchId);
    await waitStatus(x, { status: 'ACTIVE' });
    assert.equal(await x.locator('[data-testid="abort"]').isEnabled(), true);  // before both have moved

    await x.click('[data-testid="offer-draw"]');
    await o.locator('[data-testid="accept-draw"]:not([disabled])').waitFor();
    await x.locator('[data-testid="offer-draw"][disabled]').waitFor();  // the offer stands
    assert.equal(await x.locator('[data-testid="accept-draw"]').isVisible(), false);
    await o.click('[data-testid="decline-draw"]');
    await x.locator('[data-testid="offer-draw"]:not([disabled])').waitFor();
    await o.locator('[data-testid="accept-draw"]').waitFor({ state: 'hidden' });

    await o.click('[data-testid="offer-draw"]');
    await x.click('[data-testid="accept-draw"]:not([disabled])');
    for (const page of [x, o]) {
      await waitStatus(page, { status: 'FINISHED', winner: '-1', reason: 'agreement' });
      assert.equal(await status(page).textContent(), 'Draw by agreement');
      assert.equal(await page.locator('[data-testid="match-result"]').textContent(), 'Draw');
      for (const button of ['resign', 'offer-draw', 'abort']) {
        assert.equal(await page.locator(`[data-testid="${button}"]`).isDisabled(), true, button);
      }
    }
    await assertNoErrors(x, o);
  }));

test('two pages play tic-tac-toe to a win; a page that drops offline catches up on reconnect',
  { timeout: TEST_TIMEOUT_MS }, () => harness.run(async () => {
    const proxy = new TcpProxy();
    const proxyPort = await proxy.start(harness.httpPort);
    try {
      const x = await player('x');
      const o = await player('o', `http://127.0.0.1:${proxyPort}/`);
      const matchId = await createMatch(x, { game: 'tictactoe', seat: 'SEAT_FIRST' });
      await joinMatch(o, matchId);
      for (const page of [x, o]) await waitStatus(page, { status: 'ACTIVE', 'to-move': '0' });

      const play = async (page, cell, ply) => {
        await page.click(`[data-cell="${cell}"]:not([disabled])`);
        await movesAfter(x, ply);
        await movesAfter(o, ply);
      };
      await play(x, 0, 1);
      await play(o, 3, 2);

      // O's network fails while X moves; back online, O's page must re-open the match and show the move.
      proxy.cut();
      // The status line says so in words; the close code (1006: no close frame) is for the console only.
      await o.locator('#status[data-state="reconnecting"]', { hasText: 'Connection lost — reconnecting…' }).waitFor();
      await x.click('[data-cell="1"]:not([disabled])');
      await movesAfter(x, 3);
      assert.equal(await o.locator('[data-testid="move-list"] .move[data-ply]').count(), 2);
      proxy.restore();
      await o.locator('#status[data-state="online"]').waitFor({ timeout: 40_000 });
      await movesAfter(o, 3);
      assert.equal(await o.locator('[data-cell="1"]').getAttribute('data-mark'), 'X');

      await play(o, 4, 4);
      await play(x, 2, 5);
      for (const page of [x, o]) {
        await waitStatus(page, { status: 'FINISHED', winner: '0' });
        assert.equal(await status(page).textContent(), 'X wins by three in a row');
        assert.deepEqual(await movesAfter(page, 5), ['X top left', 'O left', 'X top', 'O centre', 'X top right']);
        assert.equal(await page.locator('[data-cell]:not([disabled])').count(), 0);
      }
      assert.equal(await x.locator('[data-testid="match-result"]').textContent(), 'You won');
      await assertNoErrors(x, o);
    } finally {
      await proxy.stop();
    }
  }));
