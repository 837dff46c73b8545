// Every failure the SDK reports is a GuildhallError. The subclass says what happened (test with instanceof);
// `code` is a stable string for logs and for tables of sentences: the server's ErrorCode name for ServerError and
// AuthFailed, and one of the SDK's own codes below for the client's view of the connection.
//
// Close codes (docs/protocol.md "Close codes") come in ranges shared by every SDK: 1xxx normal, 2xxx application
// (kicked), 3xxx server (shutting down, overloaded: come back later), 4xxx client (timeout, protocol violation).

import type { ErrorCode } from './protocol.js';

/** The SDK's own codes, for failures the server did not name. Kept as the web page has always shown them. */
export const LOCAL_CODES = Object.freeze({
  network: 'NETWORK',            // nothing answered at the address (HTTP or WebSocket)
  timeout: 'TIMEOUT',            // connecting, or one request, took longer than its timeout
  disconnected: 'DISCONNECTED',  // no connection (yet, or any more)
  serverClosed: 'SERVER_CLOSED', // the server closed the connection with a code and a reason
});

export interface ErrorDetails {
  /** When the server said when to try again (UNAVAILABLE, RATE_LIMITED), in milliseconds; 0 when not said. */
  retryAfterMs?: number | string;
  /** The WebSocket close code that ended the connection, when one did. */
  closeCode?: number;
}

/** The base of every error this SDK throws or rejects with. */
export class GuildhallError extends Error {
  readonly code: string;
  readonly retryAfterMs: number;
  readonly closeCode: number | undefined;

  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super(message || code);
    this.name = new.target.name;
    this.code = code;
    this.retryAfterMs = Number(details.retryAfterMs) || 0;
    this.closeCode = details.closeCode;
  }

  /** Worth trying again later as it is (as opposed to fixing the request, the credentials or the build). */
  get transient(): boolean {
    return false;
  }
}

/** The server refused a request (an Error answer); the connection stays up. */
export class ServerError extends GuildhallError {
  constructor(code: ErrorCode | string, message: string, details: ErrorDetails = {}) {
    super(code || 'ERROR_CODE_UNSPECIFIED', message, details);
  }

  override get transient(): boolean {
    return ['RATE_LIMITED', 'UNAVAILABLE', 'INTERNAL'].includes(this.code) || /^HTTP_5\d\d$/.test(this.code);
  }
}

/**
 * The server refused the credentials: a wrong password, a token it does not accept, a spent refresh token.
 * Retrying with the same ones will not help; sign in again. A client that sees it stops reconnecting.
 */
export class AuthFailed extends ServerError {}

/** Nothing accepted the connection at the address (wrong port, server down, name lookup failed). */
export class ConnectionRefused extends GuildhallError {
  constructor(message = 'cannot reach the server') {
    super(LOCAL_CODES.network, message);
  }

  override get transient(): boolean {
    return true;
  }
}

/** Connecting and authenticating took longer than `connectTimeoutMs` (a listener that never answers). */
export class ConnectTimeout extends GuildhallError {
  constructor(timeoutMs: number) {
    super(LOCAL_CODES.timeout, `no connection within ${timeoutMs} ms`);
  }

  override get transient(): boolean {
    return true;
  }
}

/** One request got no answer within `requestTimeoutMs`. The connection is then dropped and reconnected. */
export class RequestTimeout extends GuildhallError {
  readonly kind: string;

  constructor(kind: string, timeoutMs: number) {
    super(LOCAL_CODES.timeout, `no answer to ${kind} within ${timeoutMs} ms`);
    this.kind = kind;
  }

  override get transient(): boolean {
    return true;
  }
}

/** The connection dropped while the request was in flight; whether the server acted on it is unknown. */
export class ConnectionLost extends GuildhallError {
  constructor(message = 'connection lost', closeCode?: number) {
    super(LOCAL_CODES.disconnected, message, closeCode === undefined ? {} : { closeCode });
  }

  override get transient(): boolean {
    return true;
  }
}

/**
 * The server closed the connection on purpose, with a code and a reason (from its Closing push, else from the
 * close frame): 3001 shutting down, 2xxx kicked, 4xxx this client broke a rule.
 */
export class ServerClosed extends GuildhallError {
  readonly reason: string;

  constructor(closeCode: number, reason: string) {
    super(LOCAL_CODES.serverClosed, `server closed the connection (${closeCode}${reason ? ` ${reason}` : ''})`,
      { closeCode });
    this.reason = reason;
  }

  override get transient(): boolean {
    return this.closeCode !== undefined && this.closeCode >= 3000 && this.closeCode < 4000;
  }
}

/** A request made while there is no authenticated connection (before connect, while reconnecting, after stop). */
export class NotConnected extends GuildhallError {
  constructor(message = 'not connected') {
    super(LOCAL_CODES.disconnected, message);
  }

  override get transient(): boolean {
    return true;
  }
}

/** Error codes that mean the credentials are refused (HTTP auth API and Authenticate). */
export const AUTH_CODES: ReadonlySet<string> = new Set(['AUTH_FAILED', 'TOKEN_EXPIRED']);

/** The error for an Error body the server sent: AuthFailed for refused credentials, else ServerError. */
export function fromErrorBody(body: { code?: string; message?: string; retryAfterMs?: number }): ServerError {
  const code = body.code || 'ERROR_CODE_UNSPECIFIED';
  const details = { retryAfterMs: body.retryAfterMs ?? 0 };
  return AUTH_CODES.has(code) ? new AuthFailed(code, body.message ?? '', details)
    : new ServerError(code, body.message ?? '', details);
}
