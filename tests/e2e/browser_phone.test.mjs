// The web client on a phone-width screen (390 x 844 CSS pixels, touch): the sign-in form, the chat with a
// channel and a direct conversation, the Play tab's lobby and a chess match all fit the width, so nothing
// scrolls sideways, and the board's squares stay big enough to tap. GUILDHALL_SCREENSHOT_DIR=folder keeps a
// screenshot of each screen for a person to look at.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Harness, signIn } from './harness.mjs';

const TEST_TIMEOUT_MS = 90_000;
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const MIN_SQUARE_PX = 40;  // a fingertip-sized square (Apple's guideline is 44 pt; 8 of them must fit in 390)

const harness = new Harness();
const password = `pw-${randomBytes(8).toString('hex')}`;

before(() => harness.start(), { timeout: 40_000 });
after(() => harness.stop());

/** Fails when anything on `page` reaches past the screen's width; keeps a screenshot when asked to. */
async function assertFits(page, name) {
  const dir = process.env.GUILDHALL_SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: path.join(dir, `phone-${name}.png`) });
  const { scrollWidth, clientWidth, widest } = await page.evaluate(() => {
    const root = document.scrollingElement;
    // The widest visible element, to name the culprit when the page overflows.
    let widestElement = null;
    for (const element of document.querySelectorAll('body *')) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.right > root.clientWidth + 0.5
        && (!widestElement || box.right > widestElement.right)) {
        widestElement = { right: Math.round(box.right), what: `${element.tagName}#${element.id}.${element.className}` };
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest: widestElement };
  });
  assert.ok(scrollWidth <= PHONE.viewport.width, `${name}: the page is ${scrollWidth} px wide`);
  assert.equal(widest, null, `${name}: ${JSON.stringify(widest)} reaches past ${clientWidth} px`);
}

test('sign-in, chat and a chess match fit a 390 px wide phone', { timeout: TEST_TIMEOUT_MS }, () => harness.run(async () => {
  const suffix = randomBytes(4).toString('hex');
  const page = await harness.openPage(harness.baseUrl, PHONE);
  await assertFits(page, 'sign-in');

  await signIn(page, '#register', `phone-user-${suffix}`, password);
  await page.fill('#channel-input', 'lobby');
  await page.click('#join');
  await page.locator('#channels .channel[data-channel="lobby"][aria-current="true"]').waitFor();
  await page.fill('#message-input', `a rather long line from a phone that has to wrap rather than widen the page ${suffix}`);
  await page.press('#message-input', 'Enter');
  await page.locator('#messages .message').first().waitFor();
  await assertFits(page, 'chat');
  const send = await page.locator('#send').boundingBox();
  assert.ok(send && send.y + send.height <= PHONE.viewport.height, 'the send button is below the screen');

  await page.click('[data-testid="tab-play"]');
  await page.locator('[data-testid="lobby"]').waitFor();
  await assertFits(page, 'lobby');

  await page.selectOption('[data-testid="create-game"]', 'chess');
  await page.selectOption('[data-testid="create-time"]', '5+3');
  await page.selectOption('[data-testid="create-seat"]', 'SEAT_FIRST');
  await page.setChecked('[data-testid="create-bot"]', true);
  await page.click('[data-testid="create-submit"]');
  await page.locator('[data-testid="match-view"][data-game="chess"][data-match-id]').waitFor();
  await page.locator('[data-testid="match-status"][data-status="ACTIVE"]').waitFor();
  await assertFits(page, 'chess');
  // The match takes the screen: the board is in view without scrolling, and Close brings the lobby back.
  assert.equal(await page.locator('[data-testid="lobby"]').isVisible(), false);
  const square = await page.locator('[data-square="a1"]').boundingBox();
  assert.ok(square.width >= MIN_SQUARE_PX, `squares are ${square.width} px wide`);
  const board = await page.locator('[data-testid="chess-board"]').boundingBox();
  assert.ok(board.x >= 0 && board.x + board.width <= PHONE.viewport.width
    && board.y >= 0 && board.y + board.height <= PHONE.viewport.height, `the board spans ${JSON.stringify(board)}`);

  // A move by tapping, and the resign question, still fit.
  await page.tap('[data-square="e2"][data-movable="true"]');
  await page.tap('[data-square="e4"][data-hint]');
  await page.locator('[data-testid="move-list"] .move[data-ply="2"]').waitFor();
  await page.click('[data-testid="resign"]');
  await page.locator('[data-testid="resign-confirm"]').waitFor();
  await assertFits(page, 'chess-resign');
  await page.click('[data-testid="resign-no"]');
  await page.click('[data-testid="match-close"]');
  await page.locator('[data-testid="lobby"]').waitFor();
  await assertFits(page, 'lobby-after-match');
  assert.deepEqual(harness.pageErrors.map(String), []);
}));
