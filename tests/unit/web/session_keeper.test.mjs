// web/session_keeper.js under Node's test runner, against a stand-in for the server's refresh-token contract
// (docs/protocol.md, HTTP API): every refresh spends the token it is given and answers a new one, and presenting
// a spent token revokes the whole family. Two keepers sharing one storage and one lock manager are two tabs of
// one browser. (The browser test browser_session.test.mjs runs the real page against the real server.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

// A browser file without a package.json that marks it ESM; it imports nothing, so load its text.
const source = await readFile(new URL('../../../web/session_keeper.js', import.meta.url), 'utf8');
const { SessionKeeper } = await import(`data:text/javascript,${encodeURIComponent(source)}`);

class AuthError extends Error {
  constructor(code) { super(code); this.code = code; }
}

/** The server side of rotation: token -> {userId, family, spent}. */
class RotatingAuth {
  #tokens = new Map();
  #revoked = new Set();
  #next = 1;
  refreshes = 0;
  loggedOut = [];
  down = false;

  issue(userId, family = `f${this.#next}`) {
    const token = `t${this.#next++}`;
    this.#tokens.set(token, { userId, family, spent: false });
    return { user_id: userId, username: `user${userId}`, token: `access-${token}`, refresh_token: token };
  }

  async refresh(token) {
    await new Promise((resolve) => setImmediate(resolve));  // an HTTP round trip: other tabs run meanwhile
    if (this.down) throw new AuthError('NETWORK');
    this.refreshes += 1;
    const entry = this.#tokens.get(token);
    if (!entry || this.#revoked.has(entry.family)) throw new AuthError('AUTH_FAILED');
    if (entry.spent) {
      this.#revoked.add(entry.family);  // reuse of a rotated token: the family is stolen or confused
      throw new AuthError('AUTH_FAILED');
    }
    entry.spent = true;
    return this.issue(entry.userId, entry.family);
  }

  async logout(token) {
    this.loggedOut.push(token);
    throw new AuthError('HTTP_404');  // the route may not exist yet: logout is best effort
  }
}

class MemoryStorage {
  #items = new Map();
  getItem(key) { return this.#items.has(key) ? this.#items.get(key) : null; }
  setItem(key, value) { this.#items.set(key, String(value)); }
  removeItem(key) { this.#items.delete(key); }
}

/** navigator.locks for one browser: requests for one name run one at a time, in order. */
class LockManager {
  #tails = new Map();
  request(name, work) {
    const run = (this.#tails.get(name) ?? Promise.resolve()).then(() => work());
    this.#tails.set(name, run.catch(() => {}));
    return run;
  }
}

function browser(auth) {
  const storage = new MemoryStorage();
  const locks = new LockManager();
  return { storage, tab: () => new SessionKeeper(auth, { storage, locks }) };
}

test('a stored session resumes through a refresh, and the rotated token replaces the stored one', async () => {
  const auth = new RotatingAuth();
  const { tab } = browser(auth);
  const first = tab();
  first.remember(auth.issue('7'));
  const resumed = await tab().resume();
  assert.equal(resumed.user_id, '7');
  const again = await tab().resume();  // uses the rotated token, not the spent one
  assert.notEqual(again.refresh_token, resumed.refresh_token);
  assert.equal(auth.refreshes, 2);
});

test('two tabs resuming at once both get a session and the family survives', async () => {
  const auth = new RotatingAuth();
  const { tab } = browser(auth);
  tab().remember(auth.issue('7'));
  const [a, b] = await Promise.all([tab().resume(), tab().resume()]);
  assert.equal(a.user_id, '7');
  assert.equal(b.user_id, '7');
  assert.equal((await tab().resume()).user_id, '7');
});

test('without a lock, the same race spends a token twice and the server revokes the family', async () => {
  const auth = new RotatingAuth();
  const storage = new MemoryStorage();
  const unlocked = () => new SessionKeeper(auth, { storage, locks: null });
  unlocked().remember(auth.issue('7'));
  const results = await Promise.allSettled([unlocked().resume(), unlocked().resume()]);
  assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
});

test('an expired access token is refreshed with the stored token, even when this tab holds a spent one', async () => {
  const auth = new RotatingAuth();
  const { tab } = browser(auth);
  const mine = tab();
  const session = auth.issue('7');
  mine.remember(session);
  await tab().resume();  // another tab rotated the token this one holds
  const fresh = await mine.refresh(session.refresh_token, '7');
  assert.equal(fresh.user_id, '7');
});

test('a tab whose user is no longer the stored one keeps its own tokens and leaves the stored session alone',
  async () => {
    const auth = new RotatingAuth();
    const { storage, tab } = browser(auth);
    const mine = tab();
    const ada = auth.issue('7');
    mine.remember(ada);
    tab().remember(auth.issue('9'));  // bob signed in in another tab
    const stored = storage.getItem('guildhall.session');
    const fresh = await mine.refresh(ada.refresh_token, '7');
    assert.equal(fresh.user_id, '7');
    assert.equal(storage.getItem('guildhall.session'), stored);
  });

test('a refused token is forgotten; a server out of reach keeps it for the next load', async () => {
  const auth = new RotatingAuth();
  const { tab } = browser(auth);
  const keeper = tab();
  keeper.remember(auth.issue('7'));
  auth.down = true;
  await assert.rejects(keeper.resume(), { code: 'NETWORK' });
  assert.equal(keeper.stored, true);
  auth.down = false;
  keeper.remember({ user_id: '7', username: 'user7', refresh_token: 'forged' });
  await assert.rejects(keeper.resume(), { code: 'AUTH_FAILED' });
  assert.equal(keeper.stored, false);
  assert.equal(await keeper.resume(), null);
});

test('log out forgets at once and sends the stored token to be revoked, whatever the server answers', async () => {
  const auth = new RotatingAuth();
  const { tab } = browser(auth);
  const keeper = tab();
  const session = auth.issue('7');
  keeper.remember(session);
  const done = keeper.logout();
  assert.equal(keeper.stored, false);  // before the server has answered
  await done;
  assert.deepEqual(auth.loggedOut, [session.refresh_token]);
});
