// Two people chat through the web client in a real browser against a real server process: register, join
// "lobby", exchange messages, see each other in the member list, and find the conversation in history after a
// reload; and two people exchange direct messages. See README.md for how to run it.

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
    await alicePage.locator('#members .member', { hasText: bob }).waitFor({ state: 'detached' });

    // ...and bob, still signed in, finds the conversation in history when he joins again, oldest at the top.
    await bobPage.locator('#status[data-state="online"]').waitFor();
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

/** Opens the direct conversation with `username` from the sidebar form. */
async function openDirect(page, username) {
  await page.fill('[data-testid="direct-input"]', username);
  await page.click('[data-testid="direct-open"]');
  await page.locator(`#directs .channel[data-direct="${username.toLowerCase()}"][aria-current="true"]`).waitFor();
}

test('direct messages: a conversation list with unread marks, history, and replies', { timeout: TEST_TIMEOUT_MS },
  () => harness.run(async () => {
    const suffix = randomBytes(4).toString('hex');
    const carol = `carol-${suffix}`;
    const dave = `dave-${suffix}`;
    const password = `pw-${randomBytes(8).toString('hex')}`;

    const carolPage = await openPage();
    const davePage = await openPage();
    await signIn(carolPage, '#register', carol, password);
    await signIn(davePage, '#register', dave, password);
    await joinChannel(davePage, 'lobby');  // dave is reading a channel when the first message comes

    // Carol types dave's name in capitals: usernames are case-blind, the list shows the server's spelling.
    await openDirect(carolPage, dave.toUpperCase());
    await say(carolPage, `psst ${suffix}`);
    assert.match(await messageLine(carolPage, `psst ${suffix}`), new RegExp(`^\\d\\d?:\\d\\d( [AP]M)? ${carol}: psst`));

    const carolOnDave = davePage.locator(`#directs .channel[data-direct="${carol}"]`);
    await davePage.locator(`#directs .channel[data-direct="${carol}"][data-unread="1"]`).waitFor();
    assert.equal(await davePage.locator('#messages .message', { hasText: 'psst' }).count(), 0,
      'a direct message must not show up in the channel on screen');

    // On the Play tab a second message marks the conversation and the Chat tab.
    await davePage.click('[data-testid="tab-play"]');
    await say(carolPage, `are you there ${suffix}`);
    await davePage.locator(`#directs .channel[data-direct="${carol}"][data-unread="2"]`).waitFor({ state: 'attached' });
    await davePage.locator('[data-testid="chat-unread"]', { hasText: '2' }).waitFor();

    // Back on Chat, opening the conversation shows both lines from history and clears the marks.
    await davePage.click('[data-testid="tab-chat"]');
    await carolOnDave.click();
    await davePage.locator('[data-testid="conversation-title"]', { hasText: `@${carol}` }).waitFor();
    await messageLine(davePage, `psst ${suffix}`);
    await messageLine(davePage, `are you there ${suffix}`);
    assert.equal(await carolOnDave.getAttribute('data-unread'), null);
    assert.equal(await davePage.locator('[data-testid="chat-unread"]').isVisible(), false);

    // Dave answers; carol, who has the conversation open, sees it at once and no unread mark.
    await say(davePage, `yes, carol ${suffix}`);
    assert.match(await messageLine(carolPage, `yes, carol ${suffix}`), new RegExp(`${dave}: yes, carol ${suffix}$`));
    assert.equal(await carolPage.locator(`#directs .channel[data-direct="${dave}"]`).getAttribute('data-unread'), null);
    const carolLines = await carolPage.locator('#messages .message').allTextContents();
    assert.equal(carolLines.length, 3, carolLines.join('\n'));

    // After a reload the conversation is still listed, and its history is there with a line between the history
    // and what arrives live.
    await davePage.reload();
    await davePage.locator('#status[data-state="online"]').waitFor();
    await davePage.locator(`#directs .channel[data-direct="${carol}"]`).click();
    await messageLine(davePage, `yes, carol ${suffix}`);
    assert.equal(await davePage.locator('#messages .message').count(), 3);
    assert.equal(await davePage.locator('[data-testid="live-mark"]').count(), 0);
    await say(carolPage, `live ${suffix}`);
    await messageLine(davePage, `live ${suffix}`);
    const marked = (await davePage.locator('#messages > li').allTextContents()).map((t) => t.replace(/\s+/g, ' '));
    assert.equal(marked.findIndex((t) => t.includes(`live ${suffix}`)) - 1,
      marked.findIndex((t) => t === 'New since you opened'), marked.join('\n'));

    // A name nobody has is refused, and no conversation is left behind for it.
    await carolPage.fill('[data-testid="direct-input"]', `nobody-${suffix}`);
    await carolPage.click('[data-testid="direct-open"]');
    await carolPage.locator('#error').waitFor();
    assert.equal(await carolPage.locator(`#directs .channel[data-direct="nobody-${suffix}"]`).count(), 0);

    assert.deepEqual(harness.pageErrors.map(String), []);
  }));
