// The lobby's open-match list in a real browser against a real server: a match created on one page appears on
// another without a refresh, says when its creator's page goes away and comes back, and leaves the list when
// it is joined. See README.md.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Harness, signIn } from './harness.mjs';

const TEST_TIMEOUT_MS = 90_000;

const harness = new Harness();
const password = `pw-${randomBytes(8).toString('hex')}`;

before(() => harness.start(), { timeout: 40_000 });
after(() => harness.stop());

/** A new page signed in as `username` (registered when `register`), on the Play tab. */
async function player(username, register = true) {
  const page = await harness.openPage();
  await signIn(page, register ? '#register' : '#login', username, password);
  await page.click('[data-testid="tab-play"]');
  await page.locator('[data-testid="lobby"]').waitFor();
  return page;
}

test('the open-match list updates live and marks creators online or away', { timeout: TEST_TIMEOUT_MS }, () => harness.run(async () => {
  const watcher = await player(`wendy-${randomBytes(4).toString('hex')}`);
  const creatorName = `cecil-${randomBytes(4).toString('hex')}`;
  let creator = await player(creatorName);

  await creator.selectOption('[data-testid="create-game"]', 'tictactoe');
  await creator.setChecked('[data-testid="create-bot"]', false);
  await creator.click('[data-testid="create-submit"]');
  const view = creator.locator('[data-testid="match-view"][data-game="tictactoe"][data-match-id]');
  await view.waitFor();
  const matchId = await view.getAttribute('data-match-id');
  const row = (state) => watcher.locator(
    `[data-testid="open-matches"] [data-match-id="${matchId}"][data-creator-online="${state}"]`);

  // No refresh is clicked anywhere: every change below reaches the watcher as a push.
  await row('true').waitFor();
  await creator.context().close();
  await row('false').waitFor();
  assert.match(await row('false').textContent(), /away/);
  creator = await player(creatorName, false);
  await row('true').waitFor();

  await watcher.click(`[data-testid="open-matches"] [data-match-id="${matchId}"] [data-action="join"]`);
  await watcher.locator(`[data-testid="match-view"][data-match-id="${matchId}"]`).waitFor();
  await watcher.locator(`[data-testid="open-matches"] [data-match-id="${matchId}"]`).waitFor({ state: 'detached' });
  assert.deepEqual(harness.pageErrors, []);
}));
