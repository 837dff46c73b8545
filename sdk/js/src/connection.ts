// One logical connection to a Guildhall server over a WebSocket speaking the protocol's JSON text frames
// (docs/protocol.md). It owns the socket's life: authenticate first (renewing an expired access token once),
// match answers to requests by `cid` with a timeout per request, Ping to keep the socket alive and to notice a
// dead one, and reconnect with exponential backoff and jitter when it drops. GuildhallClient (client.ts) adds
// the typed calls and what is resumed after a reconnect.
//
// Threading: JavaScript's one thread. Events are dispatched from socket and timer callbacks, except the 'status'
// of stop(), which is dispatched before stop() returns.
// No browser globals are touched at import time; the WebSocket constructor is the global one (browsers, Node 22,
// Node 20 with --experimental-websocket) unless one is injected (the `ws` package's: Node 18 has no global one).
// Node 18 has no global CustomEvent either (it is behind a flag there), hence makeDetailEvent below.

import type { Session, TokenRefresher } from './auth.js';
import {
  AuthFailed, ConnectionLost, ConnectionRefused, ConnectTimeout, fromErrorBody, GuildhallError, NotConnected,
  RequestTimeout, ServerClosed, ServerError,
} from './errors.js';
import type { Authenticated, Closing, Requests, Responses } from './protocol.js';

/** The part of the WebSocket API the SDK uses; browsers', undici's (Node) and the `ws` package's fit it. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

const OPEN = 1;                    // WebSocket.OPEN, without needing the global
const MAX_CID = 0xffff_ffff;       // cid is a uint32; 0 marks a push
const CLIENT_CLOSE_CODE = 4000;    // our own closes (timeouts): never mistaken for the server's reason

export interface ReconnectOptions {
  /** First delay after a drop, in ms; doubles per failed attempt up to maxDelayMs. */
  minDelayMs?: number;
  /** Ceiling of the delay, in ms. Each delay is drawn in [half, all] of its ceiling so crowds spread out. */
  maxDelayMs?: number;
  /** Attempts in a row before giving up (status 'offline' with the last error); Infinity keeps trying. */
  maxAttempts?: number;
}

export interface ConnectionOptions {
  /** ws:// or wss:// URL of the server's WebSocket endpoint ("ws://127.0.0.1:8080/ws"). */
  url: string;
  /** The session from the HTTP auth API whose token authenticates each socket. */
  session: Session;
  /** Renews an expired access token (TOKEN_EXPIRED); without it, an expired token ends the session. */
  auth?: TokenRefresher;
  /** The WebSocket constructor; the global one by default. */
  WebSocket?: WebSocketConstructor;
  /** Opening the socket and authenticating, in ms, before ConnectTimeout. Default 15000. */
  connectTimeoutMs?: number;
  /** Per request, in ms, before RequestTimeout; the connection is then taken for dead. Default 15000. */
  requestTimeoutMs?: number;
  /** Ping period in ms; the server closes a socket silent for 60 s (4001). Default 20000. */
  pingIntervalMs?: number;
  reconnect?: ReconnectOptions | false;
  /** A uniform random number in [0, 1) for the jitter; injectable for tests. */
  random?: () => number;
}

export type ConnectionState = 'offline' | 'connecting' | 'online' | 'reconnecting';

/** The detail of a 'status' event. `error` says why a connection ended (reconnecting, offline). */
export interface StatusDetail {
  state: ConnectionState;
  /** reconnecting: the wait before the next attempt, in ms. */
  delayMs?: number;
  /** reconnecting, offline: the attempt that comes next (1 for the first retry). */
  attempt?: number;
  /** The close code and reason of the connection that ended (the server's Closing, else the close frame). */
  code?: number;
  reason?: string;
  error?: GuildhallError;
}

interface Waiter {
  kind: string;
  expect: string | undefined;
  resolve: (body: unknown) => void;
  reject: (err: GuildhallError) => void;
  timer: ReturnType<typeof setTimeout>;
}

export interface RequestOptions {
  /** This request's timeout in ms, instead of requestTimeoutMs. */
  timeoutMs?: number;
  /** The answer's body field (JSON name); another one rejects with ServerError UNEXPECTED_ANSWER. */
  expect?: string;
}

/** The name of the one body field of an Envelope, or null for an Envelope without one. */
function bodyKind(envelope: Record<string, unknown>): string | null {
  return Object.keys(envelope).find((key) => key !== 'cid') ?? null;
}

/**
 * An Event carrying `detail`, as CustomEvent does: the global CustomEvent where there is one (browsers, Node 19+),
 * else this minimal stand-in (Node 18), so listeners read `event.detail` on every runtime.
 */
function makeDetailEvent(type: string, detail: unknown): Event {
  const Custom = (globalThis as { CustomEvent?: typeof CustomEvent }).CustomEvent;
  if (Custom) return new Custom(type, { detail });
  const event = new Event(type) as Event & { detail: unknown };
  Object.defineProperty(event, 'detail', { value: detail, enumerable: true });
  return event;
}

function defaultWebSocket(): WebSocketConstructor | undefined {
  return (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
}

/**
 * The socket's life. Events (CustomEvent, payload in `detail`): 'status' (StatusDetail), 'authenticated' (the
 * Authenticated answer, after every successful (re)connect), 'session' (a renewed Session: store it),
 * 'sessionended' (AuthFailed: the credentials were refused; no reconnect follows), and 'push' ({kind, body} for
 * every push; GuildhallClient dispatches them by name instead).
 */
export class GuildhallConnection extends EventTarget {
  readonly #url: string;
  readonly #auth: TokenRefresher | undefined;
  readonly #WebSocket: WebSocketConstructor;
  readonly #connectTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  readonly #pingIntervalMs: number;
  readonly #reconnect: Required<ReconnectOptions> | null;
  readonly #random: () => number;
  #session: Session;
  #socket: WebSocketLike | null = null;
  #stopped = true;
  #online = false;
  #state: ConnectionState = 'offline';
  #nextCid = 1;
  #pending = new Map<number, Waiter>();
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  #opened = false;                      // the current socket reached 'open'
  #authenticatedOnce = false;           // a later authentication is a reconnect: resume what was followed
  #lastClosing: Closing | null = null;
  #failure: GuildhallError | null = null;  // why the current socket is being dropped, when we know better
  #firstConnect: { resolve: (a: Authenticated) => void; reject: (e: GuildhallError) => void } | null = null;

  constructor(options: ConnectionOptions) {
    super();
    const WebSocketImpl = options.WebSocket ?? defaultWebSocket();
    if (!WebSocketImpl) {
      throw new TypeError("no WebSocket in this runtime: pass options.WebSocket (Node 18 and 20: the 'ws' package's)");
    }
    this.#url = options.url;
    this.#session = options.session;
    this.#auth = options.auth;
    this.#WebSocket = WebSocketImpl;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.#pingIntervalMs = options.pingIntervalMs ?? 20_000;
    this.#reconnect = options.reconnect === false ? null : {
      minDelayMs: options.reconnect?.minDelayMs ?? 1_000,
      maxDelayMs: options.reconnect?.maxDelayMs ?? 30_000,
      maxAttempts: options.reconnect?.maxAttempts ?? Infinity,
    };
    this.#random = options.random ?? Math.random;
  }

  /** Whether the socket is open and authenticated: requests are taken. */
  get online(): boolean {
    return this.#online;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The session in use (renewed ones included). */
  get session(): Session {
    return this.#session;
  }

  /**
   * Connects and keeps connecting: a failure, the first one included, is retried with backoff until stop().
   * For a page that shows its status; see connect() for a promise of the first connection.
   */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#attempt = 0;
    this.#openSocket();
  }

  /**
   * Connects once: resolves with the Authenticated answer, or rejects with ConnectionRefused, ConnectTimeout,
   * AuthFailed, ServerClosed or ConnectionLost, after which the client is stopped. Once connected, a dropped
   * connection is reconnected by itself ('status' events tell).
   */
  connect(): Promise<Authenticated> {
    if (!this.#stopped) return Promise.reject(new GuildhallError('ALREADY_STARTED', 'connect() after start()'));
    return new Promise((resolve, reject) => {
      this.#firstConnect = { resolve, reject };
      this.start();
    });
  }

  /** Closes for good: no reconnect; pending requests fail with ConnectionLost. Status 'offline' follows. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#failFirstConnect(new ConnectionLost('stopped before connecting'));
    if (this.#socket) {
      this.#dropSocket(1000, 'client closed');
    } else {
      this.#setState({ state: 'offline' });
    }
  }

  /**
   * A message without an answer (RoomInput, RoomMessage): no cid, so a refusal comes back as a 'pusherror'.
   * Returns false when not connected (nothing was sent).
   */
  sendOneWay<K extends keyof Requests>(kind: K, body: Requests[K]): boolean {
    if (!this.#online || this.#socket?.readyState !== OPEN) return false;
    this.#socket.send(JSON.stringify({ [kind]: body }));
    return true;
  }

  /** For subclasses: a request also before authentication completes (the resume requests). */
  protected sendRequest(kind: string, body: unknown, options: RequestOptions = {}): Promise<unknown> {
    const socket = this.#socket;
    if (socket?.readyState !== OPEN) return Promise.reject(new NotConnected());
    const timeoutMs = options.timeoutMs ?? this.#requestTimeoutMs;
    return new Promise((resolve, reject) => {
      const cid = this.#takeCid();
      const timer = setTimeout(() => {
        this.#pending.delete(cid);
        const err = new RequestTimeout(kind, timeoutMs);
        reject(err);
        // Answers come in order, so one this late means the connection is dead (or the server is stuck).
        if (this.#socket === socket) {
          this.#failure = err;
          this.#dropSocket(CLIENT_CLOSE_CODE, 'request timed out');
        }
      }, timeoutMs);
      this.#pending.set(cid, { kind, expect: options.expect, resolve, reject, timer });
      socket.send(JSON.stringify({ cid, [kind]: body }));
    });
  }

  /** For subclasses: runs after Authenticated and before 'authenticated' is dispatched (resume work). */
  protected onAuthenticated(_answer: Authenticated, _reconnected: boolean): void {}

  /** For subclasses: every push, by its JSON name. The default dispatches a 'push' event. */
  protected onPush(kind: string, body: unknown): void {
    this.emit('push', { kind, body });
  }

  protected emit(type: string, detail: unknown): void {
    this.dispatchEvent(makeDetailEvent(type, detail));
  }

  #takeCid(): number {
    const cid = this.#nextCid;
    this.#nextCid = cid >= MAX_CID ? 1 : cid + 1;
    return cid;
  }

  #setState(detail: StatusDetail): void {
    this.#state = detail.state;
    this.emit('status', detail);
  }

  #openSocket(): void {
    this.#setState({ state: 'connecting' });
    this.#lastClosing = null;
    this.#failure = null;
    this.#opened = false;
    let socket: WebSocketLike;
    try {
      socket = new this.#WebSocket(this.#url);
    } catch (err) {
      // A malformed URL: no retry makes it better.
      this.#stopped = true;
      const error = new ConnectionRefused(`cannot open ${this.#url}: ${(err as Error).message}`);
      this.#failFirstConnect(error);
      this.#setState({ state: 'offline', error });
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      this.#opened = true;
      void this.#authenticate(socket);
    };
    socket.onmessage = (event) => this.#onFrame(event.data);
    // Browsers follow 'error' with 'close'; Node 20's WebSocket (undici) may not after a refused connection and
    // stays CONNECTING for ever, so an error ends the socket here and now.
    socket.onerror = () => {
      if (this.#socket !== socket) return;
      this.#failure ??= this.#opened ? null : new ConnectionRefused(`cannot connect to ${this.#url}`);
      this.#dropSocket(1006, 'network error');
    };
    socket.onclose = (event) => this.#onSocketClosed(event.code, event.reason);
    this.#connectTimer = setTimeout(() => {
      if (this.#socket !== socket || this.#online) return;
      this.#failure = new ConnectTimeout(this.#connectTimeoutMs);
      this.#dropSocket(CLIENT_CLOSE_CODE, 'connect timed out');
    }, this.#connectTimeoutMs);
  }

  async #authenticate(socket: WebSocketLike): Promise<void> {
    const reconnected = this.#authenticatedOnce;
    try {
      let answer: Authenticated;
      try {
        answer = await this.sendRequest('authenticate', { token: this.#session.token },
          { expect: 'authenticated' }) as Authenticated;
      } catch (err) {
        if (!(err instanceof ServerError) || err.code !== 'TOKEN_EXPIRED' || !this.#auth) throw err;
        this.#session = await this.#auth.refresh(this.#session.refresh_token, this.#session.user_id);
        this.emit('session', this.#session);
        if (this.#socket !== socket) return;  // dropped while refreshing; the next socket starts over
        answer = await this.sendRequest('authenticate', { token: this.#session.token },
          { expect: 'authenticated' }) as Authenticated;
      }
      if (this.#socket !== socket) return;
      clearTimeout(this.#connectTimer);
      this.#online = true;
      this.#attempt = 0;
      this.#authenticatedOnce = true;
      this.#pingTimer = setInterval(() => this.#ping(), this.#pingIntervalMs);
      this.onAuthenticated(answer, reconnected);
      this.#setState({ state: 'online' });
      const first = this.#firstConnect;
      this.#firstConnect = null;
      first?.resolve(answer);
      this.emit('authenticated', answer);
    } catch (err) {
      this.#onAuthenticateFailed(socket, err as GuildhallError);
    }
  }

  #onAuthenticateFailed(socket: WebSocketLike, err: GuildhallError): void {
    if (this.#socket !== socket) return;  // closed already: the close handler did the work
    if (err instanceof ServerError && !err.transient) {
      // Refused credentials will not get better by retrying.
      const error = err instanceof AuthFailed ? err : new AuthFailed(err.code, err.message);
      this.#stopped = true;
      this.#failFirstConnect(error);
      this.emit('sessionended', error);
      this.#failure = error;
      this.#dropSocket(1000, 'authentication failed');
      return;
    }
    // Busy server, or the refresh could not reach it: try again on a new socket.
    this.#failure = err;
    this.#dropSocket(CLIENT_CLOSE_CODE, 'authentication did not complete');
  }

  #ping(): void {
    this.sendRequest('ping', { clientTimeMs: String(Date.now()) }).catch(() => {
      // A lost Pong is handled by the request timeout, which drops the connection.
    });
  }

  #onFrame(data: unknown): void {
    if (typeof data !== 'string') return;  // we speak JSON, so the server answers in text
    let envelope: Record<string, unknown>;
    try {
      envelope = JSON.parse(data) as Record<string, unknown>;
      if (typeof envelope !== 'object' || envelope === null) return;
    } catch {
      return;  // every byte is hostile: an undecodable frame is dropped, not thrown into the event loop
    }
    const kind = bodyKind(envelope);
    const body = kind === null ? {} : (envelope[kind] ?? {});
    const cid = Number(envelope.cid ?? 0);
    if (cid !== 0) {
      this.#settle(cid, kind, body);
      return;
    }
    if (kind === 'closing') this.#lastClosing = body as Closing;
    if (kind !== null) this.onPush(kind, body);
  }

  #settle(cid: number, kind: string | null, body: unknown): void {
    const waiter = this.#pending.get(cid);
    if (!waiter) return;  // answered after its timeout
    this.#pending.delete(cid);
    clearTimeout(waiter.timer);
    if (kind === 'error') {
      waiter.reject(fromErrorBody(body as Responses['error']));
    } else if (waiter.expect !== undefined && kind !== waiter.expect) {
      waiter.reject(new ServerError('UNEXPECTED_ANSWER', `${waiter.kind} answered with ${kind ?? 'nothing'}`));
    } else {
      waiter.resolve(body);
    }
  }

  /** Forgets the socket at once rather than wait for a close handshake that a dead peer never finishes. */
  #dropSocket(code: number, reason: string): void {
    const socket = this.#socket;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    // Not null: the `ws` package emits 'error' when a socket closed while connecting aborts its handshake, and
    // an 'error' nobody listens to is thrown by Node's EventEmitter (an uncaught exception that ends the process).
    socket.onerror = () => {};
    try {
      // 1006 cannot be sent (it means "no close frame"); 1000 and 3000..4999 can.
      if (code === 1006) socket.close();
      else socket.close(code, reason);
    } catch {
      // Some implementations refuse to close a socket that is still connecting; it is forgotten either way.
    }
    this.#onSocketClosed(code, reason);
  }

  /** Why the connection ended: what we decided, else the server's Closing or close code, else a plain loss. */
  #whyClosed(code: number, reason: string): GuildhallError {
    if (this.#failure) return this.#failure;
    const closing = this.#lastClosing;
    if (closing) return new ServerClosed(Number(closing.code ?? code), closing.reason ?? '');
    if (!this.#opened) return new ConnectionRefused(`cannot connect to ${this.#url}`);
    if (code >= 2000 && code < 5000 && code !== CLIENT_CLOSE_CODE) return new ServerClosed(code, reason);
    return new ConnectionLost(`connection lost (${code}${reason ? ` ${reason}` : ''})`, code);
  }

  #onSocketClosed(code: number, reason: string): void {
    const error = this.#whyClosed(code, reason);
    this.#socket = null;
    this.#online = false;
    clearInterval(this.#pingTimer);
    clearTimeout(this.#connectTimer);
    for (const waiter of this.#pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(new ConnectionLost(`connection closed before the answer to ${waiter.kind}`, error.closeCode));
    }
    this.#pending.clear();
    const closeCode = error.closeCode ?? code;
    const closeReason = error instanceof ServerClosed ? error.reason : reason;
    if (this.#firstConnect && !this.#stopped) {
      this.#stopped = true;  // connect(): the first failure is the caller's to handle
      this.#failFirstConnect(error);
    }
    if (this.#stopped) {
      this.#setState({ state: 'offline', code: closeCode, reason: closeReason, error });
      return;
    }
    this.#scheduleReconnect(error, closeCode, closeReason);
  }

  #scheduleReconnect(error: GuildhallError, code: number, reason: string): void {
    const policy = this.#reconnect;
    if (!policy || this.#attempt >= policy.maxAttempts) {
      this.#stopped = true;
      this.#setState({ state: 'offline', code, reason, error });
      return;
    }
    const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** this.#attempt);
    const delayMs = Math.round(ceiling * (0.5 + this.#random() / 2));  // jitter spreads a crowd's reconnects
    this.#attempt += 1;
    this.#setState({ state: 'reconnecting', delayMs, attempt: this.#attempt, code, reason, error });
    this.#reconnectTimer = setTimeout(() => this.#openSocket(), delayMs);
  }

  #failFirstConnect(error: GuildhallError): void {
    const first = this.#firstConnect;
    this.#firstConnect = null;
    first?.reject(error);
  }
}
