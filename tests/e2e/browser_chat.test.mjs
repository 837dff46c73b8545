// Two people chat through the web client in a real browser against a real server process: register, join
// "lobby", exchange messages, see each other in the member list, and find the conversation in history after a
// reload. See README.md for how to run it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const SERVER_BIN = process.env.GUILDHALL_BIN || '/work/main/build/guildhall';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const HEALTHY_WITHIN_MS = 20_000;
const STEP_TIMEOUT_MS = 10_000;   // one UI step: a click, a message arriving
const TEST_TIMEOUT_MS = 60_000;
const SERVER_LOG_KEEP_BYTES = 64 * 1024;

let dataDir;
let server;
let serverLog = '';
let browser;
let baseUrl;
const pageErrors = [];

/** A port the kernel had free a moment ago. Every listener is held until all are picked, so they differ. */
async function freePorts(count) {
  const listeners = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const listener = net.createServer();
      listeners.push(listener);
      await new Promise((resolve, reject) => {
        listener.once('error', reject);
        listener.listen(0, '127.0.0.1', resolve);
      });
    }
    return listeners.map((l) => l.address().port);
  } finally {
    await Promise.all(listeners.map((l) => new Promise((resolve) => l.close(resolve))));
  }
}

/** True if `port` can be bound for UDP right now (a free TCP port says nothing about UDP). */
async function udpPortFree(port) {
  const socket = dgram.createSocket('udp4');
  try {
    await new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, '127.0.0.1', resolve);
    });
    return true;
  } catch {
    return false;
  } finally {
    socket.close();
  }
}

async function pickPorts() {
  for (;;) {
    const ports = await freePorts(3);
    if (await udpPortFree(ports[2])) return ports;
  }
}

async function waitHealthy(url) {
  const deadline = Date.now() + HEALTHY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`server exited (${server.exitCode ?? server.signalCode}) before it was ready:\n${serverLog}`);
    }
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer 200 within ${HEALTHY_WITHIN_MS} ms:\n${serverLog}`);
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function openPage() {
  const context = await browser.newContext();
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err));
  await page.goto(baseUrl);
  return page;
}

async function signIn(page, button, username, password) {
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click(button);
  await page.locator('#status[data-state="online"]').waitFor();
  assert.equal(await page.locator('#error').isVisible(), false, await page.locator('#error').textContent());
}

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

before(async () => {
  assert.ok(existsSync(SERVER_BIN), `no server binary at ${SERVER_BIN}; build it or set GUILDHALL_BIN`);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'guildhall-e2e-'));
  const [httpPort, tcpPort, udpPort] = await pickPorts();
  baseUrl = `http://127.0.0.1:${httpPort}/`;
  server = spawn(SERVER_BIN, [
    'serve', '--data', dataDir, '--http-port', String(httpPort), '--tcp-port', String(tcpPort),
    '--udp-port', String(udpPort), '--log-level', 'warn',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk) => { serverLog = (serverLog + chunk).slice(-SERVER_LOG_KEEP_BYTES); };
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  await waitHealthy(`http://127.0.0.1:${httpPort}/healthz`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, { timeout: 40_000 });

after(async () => {
  await browser?.close().catch(() => {});
  await stopServer();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Runs `body`; a failure carries the server's output, which usually says why. */
async function withServerLog(body) {
  try {
    await body();
  } catch (err) {
    err.message += `\n--- guildhall server output ---\n${serverLog}`;
    throw err;
  }
}

test('two users chat in lobby through the web page, and history survives a reload', { timeout: TEST_TIMEOUT_MS },
  () => withServerLog(async () => {
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
    assert.deepEqual(pageErrors.map(String), []);
  }));
