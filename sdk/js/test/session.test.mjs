// An access token that expired before the socket authenticated: the server answers TOKEN_EXPIRED, the client
// renews the session through its refresher once, announces it ('session'), and authenticates with it. Without a
// refresher the same answer ends the session (AuthFailed, no retry). The server issues 1-second access tokens.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuthFailed, GuildhallClient } from '../dist/index.js';
import { nextEvent, newUser, NodeWebSocket } from './helpers.mjs';
import { GuildhallServer, withLog } from './server.mjs';

const server = new GuildhallServer(['--set', 'auth.access_ttl_ms=1000']);

before(() => server.start(), { timeout: 30_000 });
after(() => server.dispose());

/** A session whose access token has expired: waits out its expires_at_ms (a clock, not an event). */
async function expiredSession() {
  const user = await newUser(server, 'exp');
  await sleep(Math.max(0, Number(user.session.expires_at_ms) - Date.now()) + 100);
  return user;
}

test('an expired access token is renewed through the refresher, and the new session is announced',
  { timeout: 30_000 }, () => withLog(server, async () => {
    const { session, auth } = await expiredSession();
    const refreshes = [];
    const refresher = { refresh: (token, userId) => { refreshes.push([token, userId]); return auth.refresh(token); } };
    const client = new GuildhallClient({ WebSocket: NodeWebSocket, url: server.wsUrl, session, auth: refresher });
    try {
      const renewed = nextEvent(client, 'session');
      const me = await client.connect();
      assert.equal(me.username, session.username);
      assert.deepEqual(refreshes, [[session.refresh_token, session.user_id]]);
      const fresh = await renewed;
      assert.notEqual(fresh.token, session.token);
      assert.equal(client.session.refresh_token, fresh.refresh_token);
    } finally {
      client.stop();
    }
  }));

test('without a refresher an expired token ends the session: AuthFailed TOKEN_EXPIRED, no reconnect',
  { timeout: 30_000 }, () => withLog(server, async () => {
    const { session } = await expiredSession();
    const client = new GuildhallClient({ WebSocket: NodeWebSocket, url: server.wsUrl, session });
    const ended = nextEvent(client, 'sessionended');
    await assert.rejects(client.connect(), (err) => err instanceof AuthFailed && err.code === 'TOKEN_EXPIRED');
    assert.equal((await ended).code, 'TOKEN_EXPIRED');
    assert.equal(client.state, 'offline');
  }));
