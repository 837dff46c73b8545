// Signing in through the web client in a real browser against a real server process: failures read as
// sentences (the codes go to the console), a reload keeps a registered user signed in by refreshing the stored
// token, two tabs reloading at once both stay signed in, and "Log out" revokes the token, forgets it and signs
// out the other tabs.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Harness, signIn } from './harness.mjs';

const TEST_TIMEOUT_MS = 60_000;
const SESSION_KEY = 'guildhall.session';

const harness = new Harness();

before(() => harness.start(), { timeout: 40_000 });
after(() => harness.stop());

const storedSession = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), SESSION_KEY);

async function expectSignedIn(page, username) {
  await page.locator('#status[data-state="online"]').waitFor();
  assert.equal(await page.locator('[data-testid="whoami"]').textContent(), username);
  assert.equal(await page.locator('#login-view').isVisible(), false);
}

test('failures read as sentences; the codes are in the console', { timeout: TEST_TIMEOUT_MS }, () => harness.run(async () => {
  const page = await harness.openPage();
  const console = [];
  page.on('console', (message) => console.push(message.text()));
  await page.fill('#username', `erin-${randomBytes(4).toString('hex')}`);
  await page.fill('#password', 'short');
  await page.click('#register');
  const banner = page.locator('#error');
  await banner.waitFor();
  assert.equal(await banner.textContent(), 'Passwords need 8 to 128 characters.');
  assert.ok(console.some((line) => line.includes('INVALID_ARGUMENT') && line.includes('password must be')),
    console.join('\n'));

  await page.fill('#username', `nobody-${randomBytes(4).toString('hex')}`);
  await page.fill('#password', 'long enough password');
  await page.click('#login');
  await page.locator('#error', { hasText: 'Wrong username or password.' }).waitFor();
  assert.deepEqual(harness.pageErrors.map(String), []);
}));

test('a reload keeps the session; log out revokes it and a reload then shows the sign-in form',
  { timeout: TEST_TIMEOUT_MS }, () => harness.run(async () => {
    const username = `frank-${randomBytes(4).toString('hex')}`;
    const page = await harness.openPage();
    await signIn(page, '#register', username, `pw-${randomBytes(8).toString('hex')}`);
    const first = await storedSession(page);
    assert.equal(first.username, username);
    assert.ok(first.refresh_token, 'no refresh token stored');

    // The page refreshes on load and stores the refresh token of the answer (tokens rotate on the server).
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/v1/auth/refresh') && r.status() === 200);
    await page.reload();
    const answer = await (await refreshed).json();
    await expectSignedIn(page, username);
    assert.equal((await storedSession(page)).refresh_token, answer.refresh_token);

    // Two tabs of one browser share the stored token: reloading both at once must not sign either out.
    const twin = await page.context().newPage();
    await twin.goto(harness.baseUrl);
    await expectSignedIn(twin, username);
    await Promise.all([page.reload(), twin.reload()]);
    await expectSignedIn(page, username);
    await expectSignedIn(twin, username);

    // Log out sends the stored token to be revoked, forgets it, and stays signed out across a reload.
    const stored = await storedSession(page);
    const logout = page.waitForRequest((r) => r.url().endsWith('/v1/auth/logout') && r.method() === 'POST');
    await page.click('[data-testid="logout"]');
    assert.deepEqual(JSON.parse((await logout).postData()), { refresh_token: stored.refresh_token });
    await page.locator('#login-view').waitFor();
    assert.equal(await storedSession(page), null);
    await twin.locator('#login-view').waitFor();  // the other tab of this browser logs out with it
    assert.equal(await twin.locator('#status').getAttribute('data-state'), 'offline');
    await twin.close();
    await page.reload();
    await page.locator('#login-view').waitFor();
    assert.equal(await page.locator('#status').getAttribute('data-state'), 'offline');
    assert.equal(await page.locator('#error').isVisible(), false);
    assert.deepEqual(harness.pageErrors.map(String), []);
  }));
