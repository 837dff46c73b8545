// Two people chat through the web client in a real browser against a real server process: register, join
// "lobby", exchange messages, see each other in the member list, and find the conversation in history after a
// reload. See README.md for how to run it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Harness, signIn } from './harness.mjs';

const TEST_TIMEOUT_MS = 60_000;

const harness = new Harness();
const openPage = () => harness.openPage();

async function joinChannel(page, channel) {
  await page.fill('#channel-input', channel);
  await page.click('#join');
  await page.locator(`#channels .channel[data-channel="${channel}"][aria-current="true"]`).waitFor();
}

async function say(page, text) {
  await page.fill('#message-input', text);
  await page.press('#message-input', 'Enter');
}

/** Waits for a message line with `text` and returns its full text ("12:34 alice: hello"). */
async function messageLine(page, text) {
  const line = page.locator('#messages .message', { hasText: text });
  await line.first().waitFor();
  return (await line.first().textContent()).replace(/\s+/g, ' ');
}

before(() => harness.start(), { timeout: 40_000 });
after(() => harness.stop());

test('two users chat in lobby through the web page, and history survives a reload', { timeout: TEST_TIMEOUT_MS },
  () => harness.run(async () => {
    const suffix = randomBytes(4).toString('hex');
    const alice = `alice-${suffix}`;
    const bob = `bob-${suffix}`;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const hello = `hello from alice ${suffix}`;
    const reply = `hi alice, bob here ${suffix}`;

    const alicePage = await openPage();
    const bobPage = await openPage();
    await signIn(alicePage, '#register', alice, password);
    await signIn(bobPage, '#register', bob, password);
    await joinChannel(alicePage, 'lobby');
    await joinChannel(bobPage, 'lobby');

    await say(alicePage, hello);
    assert.match(await messageLine(bobPage, hello), new RegExp(`${alice}: ${hello}$`));
    await say(bobPage, reply);
    assert.match(await messageLine(alicePage, reply), new RegExp(`${bob}: ${reply}$`));

    await bobPage.locator('#members .member', { hasText: alice }).waitFor();
    await alicePage.locator('#members .member', { hasText: bob }).waitFor();

    // Reloading drops bob's socket: alice's page must drop him from the member list...
    await bobPage.reload();
    await bobPage.locator('#login-view').waitFor();
    await alicePage.locator('#members .member', { hasText: bob }).waitFor({ state: 'detached' });

    // ...and after logging in again bob finds the conversation in history, oldest at the top.
    await signIn(bobPage, '#login', bob, password);
    await joinChannel(bobPage, 'lobby');
    await messageLine(bobPage, reply);
    const lines = (await bobPage.locator('#messages .message').allTextContents()).map((t) => t.replace(/\s+/g, ' '));
    const helloAt = lines.findIndex((l) => l.endsWith(`${alice}: ${hello}`));
    const replyAt = lines.findIndex((l) => l.endsWith(`${bob}: ${reply}`));
    assert.ok(helloAt >= 0 && replyAt > helloAt, `history out of order or incomplete:\n${lines.join('\n')}`);
    await alicePage.locator('#members .member', { hasText: bob }).waitFor();

    assert.equal(await alicePage.locator('#error').isVisible(), false, await alicePage.locator('#error').textContent());
    assert.deepEqual(harness.pageErrors.map(String), []);
  }));
