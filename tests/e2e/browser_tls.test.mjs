// The web client over TLS: a server with a self-signed certificate (made here with the openssl command the
// README gives) serves the page over https and chat over wss; two people chat through it in Chromium.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Harness, signIn } from './harness.mjs';

const TEST_TIMEOUT_MS = 60_000;

const certDir = mkdtempSync(path.join(os.tmpdir(), 'guildhall-e2e-tls-'));
const cert = path.join(certDir, 'dev.crt');
const key = path.join(certDir, 'dev.key');
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
  '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  '-keyout', key, '-out', cert], { stdio: 'ignore' });

const harness = new Harness();

async function joinLobby(page) {
  await page.fill('#channel-input', 'lobby');
  await page.click('#join');
  await page.locator('#channels .channel[data-channel="lobby"][aria-current="true"]').waitFor();
}

async function say(page, text) {
  await page.fill('#message-input', text);
  await page.press('#message-input', 'Enter');
}

before(() => harness.start([], { tls: { cert, key } }), { timeout: 40_000 });
after(async () => {
  await harness.stop();
  rmSync(certDir, { recursive: true, force: true });
});

test('the page loads over https and two users chat over wss', { timeout: TEST_TIMEOUT_MS },
  () => harness.run(async () => {
    assert.match(harness.baseUrl, /^https:/);
    const suffix = randomBytes(4).toString('hex');
    const sockets = [];
    const pages = [];
    for (const name of [`tlsa-${suffix}`, `tlsb-${suffix}`]) {
      const page = await harness.openPage();
      page.on('websocket', (socket) => sockets.push(socket.url()));
      assert.match(page.url(), /^https:\/\/127\.0\.0\.1:\d+\/$/);
      await signIn(page, '#register', name, `pw-${randomBytes(8).toString('hex')}`);
      await joinLobby(page);
      pages.push(page);
    }
    assert.ok(sockets.length >= 2 && sockets.every((url) => url.startsWith('wss://')), sockets.join(', '));

    const hello = `hello over wss ${suffix}`;
    await say(pages[0], hello);
    const line = pages[1].locator('#messages .message', { hasText: hello });
    await line.first().waitFor();
    assert.match(await line.first().textContent(), new RegExp(`tlsa-${suffix}: ${hello}`));
    assert.deepEqual(harness.pageErrors, []);
  }));
