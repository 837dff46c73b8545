// The HTTP auth API (docs/protocol.md "HTTP API"): register, login, guest, refresh, logout. Each but logout
// answers a Session, the AuthSession message with the proto field names (snake_case; 64-bit numbers as strings).
// Refresh tokens rotate: keep the refresh_token of each answer, the one sent is spent.

import { ConnectionRefused, fromErrorBody, ServerError } from './errors.js';

/** A signed-in session: `token` authenticates a socket, `refresh_token` gets the next session. */
export interface Session {
  user_id: string;
  username: string;
  /** Access token for Authenticate; valid until expires_at_ms (Unix ms, a decimal string). */
  token: string;
  refresh_token: string;
  expires_at_ms: string;
}

/** What GuildhallClient needs to renew an expired access token: a refresh that returns a new session. */
export interface TokenRefresher {
  /** `userId`: whose token it is (a SessionKeeper uses it to pick the newest stored token of that user). */
  refresh(refreshToken: string, userId?: string): Promise<Session>;
}

export interface AuthApi extends TokenRefresher {
  register(username: string, password: string): Promise<Session>;
  login(username: string, password: string): Promise<Session>;
  /** The same guest account for the same device id (8..128 characters of [A-Za-z0-9_.-]). */
  guest(deviceId: string): Promise<Session>;
  /** Revokes the login that `refreshToken` belongs to. Resolves with nothing. */
  logout(refreshToken: string): Promise<void>;
}

export interface AuthApiOptions {
  /** A fetch implementation; the global one by default (browsers, Node 18+). */
  fetch?: typeof globalThis.fetch;
}

type FetchFn = typeof globalThis.fetch;

/**
 * The auth API of the server at `baseUrl` ("http://127.0.0.1:8080/", or the page's own address). Rejects with
 * ConnectionRefused when nothing answers, AuthFailed for refused credentials (401 AUTH_FAILED, TOKEN_EXPIRED),
 * ServerError for any other refusal (its `code` is the server's, or HTTP_nnn for an answer without one).
 */
export function makeAuthApi(baseUrl: string | URL, options: AuthApiOptions = {}): AuthApi {
  const fetchFn: FetchFn | undefined = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (!fetchFn) throw new TypeError('makeAuthApi: no fetch in this runtime; pass options.fetch');
  const post = <T>(path: string, body: object, keepalive = false) =>
    postJson<T>(fetchFn, new URL(path, baseUrl), body, keepalive);
  return {
    register: (username, password) => post<Session>('/v1/auth/register', { username, password }),
    login: (username, password) => post<Session>('/v1/auth/login', { username, password }),
    guest: (deviceId) => post<Session>('/v1/auth/guest', { device_id: deviceId }),
    refresh: (refreshToken) => post<Session>('/v1/auth/refresh', { refresh_token: refreshToken }),
    // keepalive: the request outlives the page (a logout just before a reload or a closed tab).
    logout: async (refreshToken) => {
      await post<object>('/v1/auth/logout', { refresh_token: refreshToken }, true);
    },
  };
}

async function postJson<T>(fetchFn: FetchFn, url: URL, body: object, keepalive: boolean): Promise<T> {
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      keepalive,
    });
  } catch (err) {
    throw new ConnectionRefused(`cannot reach the server: ${(err as Error).message}`);
  }
  let answer: unknown = null;
  try {
    const text = await response.text();
    answer = text ? JSON.parse(text) : {};  // an empty body (logout's answer) is an empty object
  } catch {
    // A non-JSON answer (a proxy's error page) is reported by its status below.
  }
  if (!response.ok || answer === null || typeof answer !== 'object') {
    const error = ((answer as { error?: Record<string, unknown> } | null)?.error ?? {}) as Record<string, unknown>;
    const retryAfterS = Number(response.headers.get('Retry-After'));  // seconds, when the server is busy
    const retryAfterMs = Number(error.retry_after_ms ?? error.retryAfterMs ?? 0)
      || (retryAfterS > 0 ? retryAfterS * 1000 : 0);
    if (typeof error.code !== 'string' || !error.code) {
      throw new ServerError(`HTTP_${response.status}`, response.statusText, { retryAfterMs });
    }
    throw fromErrorBody({ code: error.code, message: String(error.message ?? ''), retryAfterMs });
  }
  return answer as T;
}
