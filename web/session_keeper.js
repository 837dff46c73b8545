// Keeps a signed-in session across reloads. The refresh token lives in localStorage and is exchanged for a fresh
// session when the page loads; "Log out" revokes it on the server (POST /v1/auth/logout) and forgets it here.
//
// Refresh tokens rotate: every POST /v1/auth/refresh answers a new refresh token that replaces the stored one,
// and presenting a token that was rotated more than auth.refresh_reuse_grace_ms (30 s) ago revokes its whole
// family. Two tabs of one browser share the stored token, so a refresh always uses the token stored *now* (never
// a copy held in memory) and refreshes are serialised across tabs with a Web Lock. Neither makes the tabs agree
// at once: Chromium hands a localStorage write to other tab processes asynchronously, so a tab may still read the
// token another has just spent. The server's grace period covers that, and tabs without Web Locks (a page served
// over plain http from another host is not a secure context).

const SESSION_KEY = 'guildhall.session';  // {user_id, username, refresh_token}
const LOCK_NAME = 'guildhall.session.refresh';

/** Failures that say nothing about the token: keep it and try again on the next load. */
const TRANSIENT_CODES = new Set(['NETWORK', 'TIMEOUT', 'DISCONNECTED', 'UNAVAILABLE', 'INTERNAL']);

function isTransient(err) {
  return TRANSIENT_CODES.has(err?.code) || /^HTTP_5\d\d$/.test(err?.code ?? '');
}

function defaultStorage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;  // storage disabled: sessions last as long as the page
  }
}

export class SessionKeeper {
  #auth;
  #storage;
  #locks;

  /** `auth`: makeAuthApi()'s object (refresh, logout). */
  constructor(auth, { storage = defaultStorage(), locks = globalThis.navigator?.locks } = {}) {
    this.#auth = auth;
    this.#storage = storage;
    this.#locks = locks;
  }

  /** Whether a session is stored, i.e. whether resume() has something to try. */
  get stored() {
    return this.#read() !== null;
  }

  /** Keeps `session` (from login, register, guest or refresh) for the next load. */
  remember(session) {
    this.#write({ user_id: session.user_id, username: session.username, refresh_token: session.refresh_token });
  }

  /**
   * The stored session, refreshed: a new session, or null when none is stored. A refused token is forgotten and
   * its error thrown; a transient failure (server unreachable) keeps it for the next try and throws too.
   */
  resume() {
    return this.#exclusive(async () => {
      const stored = this.#read();
      return stored ? this.#refreshStored(stored) : null;
    });
  }

  /**
   * For GuildhallClient's TOKEN_EXPIRED path: a new session for user `userId`. `heldToken` is the token this
   * page holds; the stored one is used instead while it belongs to the same user, since another tab may have
   * rotated it. If another user signed in meanwhile, this page keeps its own line of tokens, unstored.
   */
  refresh(heldToken, userId) {
    return this.#exclusive(async () => {
      const stored = this.#read();
      if (stored && stored.user_id === userId) return this.#refreshStored(stored);
      return this.#auth.refresh(heldToken);
    });
  }

  /** Forgets the stored session at once and revokes it on the server, best effort (it may be unreachable). */
  async logout() {
    const stored = this.#read();
    this.forget();
    if (!stored) return;
    try {
      await this.#auth.logout(stored.refresh_token);
    } catch (err) {
      console.info(`guildhall: logout not confirmed by the server: ${err.code ?? ''} ${err.message ?? err}`);
    }
  }

  /**
   * Calls `onGone(userId)` when another tab of this browser forgets the stored session (it logged out, or the
   * server refused the session there), so this tab can sign out too.
   */
  watch(onGone) {
    globalThis.addEventListener?.('storage', (event) => {
      if (event.key !== SESSION_KEY || event.newValue !== null || !event.oldValue) return;
      try {
        onGone(JSON.parse(event.oldValue).user_id);
      } catch {
        // A garbled old value names nobody.
      }
    });
  }

  /** Forgets the stored session without telling the server (it refused the session already). */
  forget() {
    try {
      this.#storage?.removeItem(SESSION_KEY);
    } catch {
      // Storage disabled: nothing was stored.
    }
  }

  async #refreshStored(stored) {
    try {
      const session = await this.#auth.refresh(stored.refresh_token);
      this.remember(session);
      return session;
    } catch (err) {
      if (!isTransient(err)) this.forget();
      throw err;
    }
  }

  #exclusive(work) {
    return this.#locks ? this.#locks.request(LOCK_NAME, work) : work();
  }

  #read() {
    try {
      const value = JSON.parse(this.#storage?.getItem(SESSION_KEY) ?? 'null');
      return typeof value?.refresh_token === 'string' && value.refresh_token ? value : null;
    } catch {
      return null;  // garbled or unreadable: as good as nothing stored
    }
  }

  #write(value) {
    try {
      this.#storage?.setItem(SESSION_KEY, JSON.stringify(value));
    } catch {
      // Storage disabled or full: the session lasts as long as the page.
    }
  }
}
