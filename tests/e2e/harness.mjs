// What every browser test needs: a real `guildhall serve` on free loopback ports with its own data folder,
// Debian's Chromium driven by playwright-core, pages that fail the test on a script error, and the server's
// output attached to any failure.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import https from 'node:https';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
// One way to pick loopback ports for every node test: the TypeScript SDK's test server's.
import { pickPorts } from '../../sdk/js/test/server.mjs';

const SERVER_BIN = process.env.GUILDHALL_BIN || '/work/main/build/guildhall';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// The page under test is this checkout's, whichever build of the server serves it.
const WEB_ROOT = fileURLToPath(new URL('../../web', import.meta.url));
const HEALTHY_WITHIN_MS = 20_000;
export const STEP_TIMEOUT_MS = 10_000;   // one UI step: a click, a message arriving
const SERVER_LOG_KEEP_BYTES = 64 * 1024;

/**
 * A server and a browser for one test file. `start()` in `before`, `stop()` in `after`; `run(body)` wraps a
 * test so that its failure carries the server's output, which usually says why.
 */
export class Harness {
  baseUrl = null;
  pageErrors = [];
  #dataDir = null;
  #server = null;
  #serverLog = '';
  #browser = null;
  #tls = false;

  /**
   * `extraArgs`: more `guildhall serve` flags, e.g. ['--set', 'turns.bot_move_time_ms=50']. `tls`: {cert, key}
   * PEM files: the server speaks only https/wss, and the browser accepts its (self-signed) certificate.
   */
  async start(extraArgs = [], { tls = null } = {}) {
    assert.ok(existsSync(SERVER_BIN), `no server binary at ${SERVER_BIN}; build it or set GUILDHALL_BIN`);
    this.#dataDir = await mkdtemp(path.join(os.tmpdir(), 'guildhall-e2e-'));
    const [httpPort, tcpPort, udpPort] = await pickPorts();
    this.baseUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${httpPort}/`;
    const tlsArgs = tls ? ['--set', `tls.cert_file=${tls.cert}`, '--set', `tls.key_file=${tls.key}`] : [];
    this.#server = spawn(SERVER_BIN, [
      'serve', '--data', this.#dataDir, '--http-port', String(httpPort), '--tcp-port', String(tcpPort),
      '--udp-port', String(udpPort), '--log-level', 'warn', '--set', `web_root=${WEB_ROOT}`, ...tlsArgs, ...extraArgs,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk) => { this.#serverLog = (this.#serverLog + chunk).slice(-SERVER_LOG_KEEP_BYTES); };
    this.#server.stdout.on('data', keep);
    this.#server.stderr.on('data', keep);
    await this.#waitHealthy(`${this.baseUrl}healthz`);
    this.#tls = Boolean(tls);
    this.#browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        ...(tls ? ['--ignore-certificate-errors'] : [])],
    });
  }

  async stop() {
    await this.#browser?.close().catch(() => {});
    await this.#stopServer();
    if (this.#dataDir) await rm(this.#dataDir, { recursive: true, force: true });
  }

  /** The HTTP port of the server, for a proxy in front of it. */
  get httpPort() {
    return Number(new URL(this.baseUrl).port);
  }

  /**
   * A page in a fresh browser context (its own storage, so its own user), at the web client: at `url` when
   * given (a proxy in front of the server), else at the server itself. `contextOptions` are playwright's
   * (e.g. a phone's {viewport, isMobile, hasTouch}).
   */
  async openPage(url = this.baseUrl, contextOptions = {}) {
    const context = await this.#browser.newContext({
      viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: this.#tls, ...contextOptions,
    });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    page.on('pageerror', (err) => this.pageErrors.push(err));
    await page.goto(url);
    return page;
  }

  /** Runs `body`; a failure carries the server's output. */
  async run(body) {
    try {
      await body();
    } catch (err) {
      err.message += `\n--- guildhall server output ---\n${this.#serverLog}`;
      throw err;
    }
  }

  async #waitHealthy(url) {
    const deadline = Date.now() + HEALTHY_WITHIN_MS;
    while (Date.now() < deadline) {
      if (this.#server.exitCode !== null || this.#server.signalCode !== null) {
        throw new Error(`server exited (${this.#server.exitCode ?? this.#server.signalCode}) before it was ready:\n`
          + this.#serverLog);
      }
      try {
        if (await statusOf(url) === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${url} did not answer 200 within ${HEALTHY_WITHIN_MS} ms:\n${this.#serverLog}`);
  }

  async #stopServer() {
    const server = this.#server;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** The status of a GET; https without a certificate check (the tests' server has a self-signed one). */
function statusOf(url) {
  if (!url.startsWith('https:')) return fetch(url).then((response) => response.status);
  return new Promise((resolve, reject) => {
    https.get(url, { rejectUnauthorized: false }, (response) => {
      response.resume();
      resolve(response.statusCode);
    }).on('error', reject);
  });
}

/** Fills the login form and presses `button` ('#register' or '#login'); waits until the socket is online. */
export async function signIn(page, button, username, password) {
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click(button);
  await page.locator('#status[data-state="online"]').waitFor();
  assert.equal(await page.locator('#error').isVisible(), false, await page.locator('#error').textContent());
}
