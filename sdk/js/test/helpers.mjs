// What the SDK's tests share: fresh users over the HTTP API, connected clients, and waiting for an event (never
// sleeping and hoping).

import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import WebSocket from 'ws';
import { GuildhallClient, makeAuthApi } from '../dist/index.js';
import { GuildhallServer } from './server.mjs';

/**
 * The `ws` package's WebSocket, which every test injects (options.WebSocket): Node 18 has no global WebSocket and
 * Node 20 only behind a flag, so the tests run the same on 18, 20 and 22.
 */
export const NodeWebSocket = WebSocket;

export const EVENT_TIMEOUT_MS = 15_000;  // generous: the machine is shared

/** Registers a new user; resolves with {auth, session, username, password}. */
export async function newUser(server, prefix = 'u') {
  const auth = makeAuthApi(server.baseUrl);
  const username = `${prefix}${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const session = await auth.register(username, password);
  return { auth, session, username, password };
}

/** A connected client of a new user; `options` go to GuildhallClient. Stop it with client.stop(). */
export async function connectedClient(server, options = {}, prefix = 'u') {
  const user = await newUser(server, prefix);
  const client = new GuildhallClient({
    WebSocket: NodeWebSocket, url: server.wsUrl, session: user.session, auth: user.auth,
    connectTimeoutMs: EVENT_TIMEOUT_MS, ...options,
  });
  const me = await client.connect();
  return { client, me, ...user };
}

/** The detail of the next `type` event of `target` for which `accept(detail)` holds. */
export function nextEvent(target, type, accept = () => true, timeoutMs = EVENT_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      target.removeEventListener(type, listener);
      reject(new Error(`no matching '${type}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    function listener(event) {
      if (!accept(event.detail)) return;
      clearTimeout(timer);
      target.removeEventListener(type, listener);
      resolve(event.detail);
    }
    target.addEventListener(type, listener);
  });
}

/** Every `type` event's detail from now on, for asserting on what arrived in which order. */
export function record(target, type) {
  const seen = [];
  target.addEventListener(type, (event) => seen.push(event.detail));
  return seen;
}

/**
 * One server for a test file, started before its tests and disposed after them, with `player(prefix, options)`:
 * a connected client of a new user (`defaults` then `options` go to GuildhallClient), stopped after the tests.
 * Call at module level: it registers the file's before/after hooks.
 */
export function serverWithPlayers(serverArgs, defaults = {}) {
  const server = new GuildhallServer(serverArgs);
  const clients = [];
  async function player(prefix, options = {}) {
    const connected = await connectedClient(server, { ...defaults, ...options }, prefix);
    clients.push(connected.client);
    return connected;
  }
  before(() => server.start(), { timeout: 30_000 });
  after(async () => {
    for (const client of clients) client.stop();
    await server.dispose();
  });
  return { server, player };
}
