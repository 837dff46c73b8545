// A real `guildhall serve` for the SDK's tests: free loopback ports, its own data folder, stopped with SIGTERM
// (or killed), and started again on the same ports and data so that sessions survive a restart. The binary is
// $GUILDHALL_BINARY (ctest sets it), else $GUILDHALL_BIN (the browser tests' name), else <repo>/build/guildhall.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const STOP_WAIT_MS = 5_000;  // a SIGSTOP takes effect within a scheduler tick; this only bounds a surprise

/** Whether every thread of `pid` is stopped (state T in /proc/PID/task/TID/stat); true where there is no /proc. */
async function allThreadsStopped(pid) {
  let tasks;
  try {
    tasks = await readdir(`/proc/${pid}/task`);
  } catch {
    return true;
  }
  for (const tid of tasks) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
    // The state follows the command name in parentheses, which may itself hold spaces or parentheses.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state && state !== 'T' && state !== 't') return false;
  }
  return true;
}

export const SERVER_BIN = process.env.GUILDHALL_BINARY || process.env.GUILDHALL_BIN
  || fileURLToPath(new URL('../../../build/guildhall', import.meta.url));
const HEALTHY_WITHIN_MS = 20_000;
const LOG_KEEP_BYTES = 64 * 1024;

/** `count` ports the kernel had free a moment ago; every listener is held until all are picked, so they differ. */
export async function freePorts(count) {
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

/** [http, tcp, udp]: three free TCP ports, the third free for UDP as well (`guildhall serve`'s three). */
export async function pickPorts() {
  for (;;) {
    const ports = await freePorts(3);
    if (await udpPortFree(ports[2])) return ports;
  }
}

export class GuildhallServer {
  baseUrl = null;
  wsUrl = null;
  log = '';
  #ports = null;
  #dataDir = null;
  #process = null;
  #extraArgs;

  /** `extraArgs`: more `guildhall serve` flags, e.g. ['--set', 'matchmaker.fill_wait_ms=0']. */
  constructor(extraArgs = []) {
    this.#extraArgs = extraArgs;
  }

  async start() {
    assert.ok(existsSync(SERVER_BIN), `no server binary at ${SERVER_BIN}; build it or set GUILDHALL_BINARY`);
    this.#dataDir ??= await mkdtemp(path.join(os.tmpdir(), 'guildhall-sdk-js-'));
    this.#ports ??= await pickPorts();
    const [httpPort, tcpPort, udpPort] = this.#ports;
    this.baseUrl = `http://127.0.0.1:${httpPort}/`;
    this.wsUrl = `ws://127.0.0.1:${httpPort}/ws`;
    const child = spawn(SERVER_BIN, [
      'serve', '--data', this.#dataDir, '--http-port', String(httpPort), '--tcp-port', String(tcpPort),
      '--udp-port', String(udpPort), '--log-level', 'warn', ...this.#extraArgs,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#process = child;
    const keep = (chunk) => { this.log = (this.log + chunk).slice(-LOG_KEEP_BYTES); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    await this.#waitHealthy(child);
  }

  /** SIGTERM (the server says goodbye: Closing 3001) and waits for the exit. */
  stop() {
    return this.#end('SIGTERM');
  }

  /** SIGKILL: the sockets just drop, as when the machine dies. */
  kill() {
    return this.#end('SIGKILL');
  }

  /**
   * SIGSTOP / SIGCONT: the process stays, its sockets open, and answers nothing until resumed. Resolves once
   * every thread is stopped: kill() returns before that, and a thread busy on the other core could otherwise
   * still answer the request a test sends next (seen under ctest -j2).
   */
  async pause() {
    const child = this.#process;
    if (!child) return;
    child.kill('SIGSTOP');
    const deadline = Date.now() + STOP_WAIT_MS;
    while (Date.now() < deadline && !(await allThreadsStopped(child.pid))) await sleep(5);
  }

  resume() {
    this.#process?.kill('SIGCONT');
  }

  /** Stops the server and removes its data folder. */
  async dispose() {
    this.resume();
    await this.#end('SIGTERM');
    if (this.#dataDir) await rm(this.#dataDir, { recursive: true, force: true });
  }

  async #end(signal) {
    const child = this.#process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  async #waitHealthy(child) {
    const deadline = Date.now() + HEALTHY_WITHIN_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${this.log}`);
      }
      try {
        if ((await fetch(`${this.baseUrl}healthz`)).status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.baseUrl}healthz did not answer 200 within ${HEALTHY_WITHIN_MS} ms:\n${this.log}`);
  }
}

/** Runs `body`; a failure carries the server's output, which usually says why. */
export async function withLog(server, body) {
  try {
    await body();
  } catch (err) {
    err.message += `\n--- guildhall server output ---\n${server.log}`;
    throw err;
  }
}
