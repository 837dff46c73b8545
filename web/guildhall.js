// A small Guildhall client for browsers: the HTTP auth API and one WebSocket speaking the protocol's JSON text
// frames (docs/protocol.md). It owns the socket's life: authenticate first, match answers to requests by `cid`,
// Ping every 20 s, and reconnect with backoff when the socket drops. Pushes are dispatched as DOM events; the
// application restores its channels and re-opens its match each time it sees `authenticated`.
//
// JSON mapping reminders: 64-bit integers (ids, times) travel as strings and are kept as strings here; fields at
// their default value are absent, so read them with a fallback.

const PING_INTERVAL_MS = 20_000;    // the server closes a socket silent for 60 s (4001)
const REQUEST_TIMEOUT_MS = 15_000;  // answers come in order, so a request this late means a dead connection
const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;
const MAX_CID = 0xffff_ffff;        // cid is a uint32; 0 marks a push
const MAX_ACK_IDS = 100;              // the server's bound per AckNotifications
const MAX_REMEMBERED_NOTIFICATIONS = 1_000;  // ids kept for dropping repeats; a repeat comes within one session

/**
 * An error answer from the server (HTTP or socket), or a local failure with a code of our own. `retryAfterMs`
 * is set when the server said when to try again (UNAVAILABLE).
 */
export class GuildhallError extends Error {
  constructor(code, message, { retryAfterMs = 0 } = {}) {
    super(message || code);
    this.name = 'GuildhallError';
    this.code = code;
    this.retryAfterMs = Number(retryAfterMs) || 0;
  }
}

/** Codes of our own for failures that say nothing about the credentials. */
const TRANSIENT_CODES = new Set(['DISCONNECTED', 'TIMEOUT', 'NETWORK']);

/** `keepalive`: the request outlives the page (a logout just before a reload or a closed tab). */
async function postJson(baseUrl, path, body, { keepalive = false } = {}) {
  let response;
  try {
    response = await fetch(new URL(path, baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      keepalive,
    });
  } catch (err) {
    throw new GuildhallError('NETWORK', `cannot reach the server: ${err.message}`);
  }
  let answer = null;
  try {
    const text = await response.text();
    answer = text ? JSON.parse(text) : {};  // an empty body (logout's answer) is an empty object
  } catch {
    // A non-JSON answer (a proxy's error page) is reported by its status below.
  }
  if (!response.ok || answer === null) {
    const error = answer?.error ?? {};
    const retryAfterS = Number(response.headers.get('Retry-After'));  // seconds, when the server is busy
    const retryAfterMs = error.retry_after_ms ?? error.retryAfterMs ?? (retryAfterS > 0 ? retryAfterS * 1000 : 0);
    throw new GuildhallError(error.code || `HTTP_${response.status}`, error.message || response.statusText,
      { retryAfterMs });
  }
  return answer;
}

/**
 * The HTTP auth API. Each call but logout resolves to a session
 * `{user_id, username, token, refresh_token, expires_at_ms}` or rejects with a GuildhallError. Refresh tokens
 * rotate: keep the refresh_token of each answer, the one sent is spent. logout revokes a refresh token.
 */
export function makeAuthApi(baseUrl = location.href) {
  return {
    login: (username, password) => postJson(baseUrl, '/v1/auth/login', { username, password }),
    register: (username, password) => postJson(baseUrl, '/v1/auth/register', { username, password }),
    guest: (deviceId) => postJson(baseUrl, '/v1/auth/guest', { device_id: deviceId }),
    refresh: (refreshToken) => postJson(baseUrl, '/v1/auth/refresh', { refresh_token: refreshToken }),
    logout: (refreshToken) => postJson(baseUrl, '/v1/auth/logout', { refresh_token: refreshToken },
      { keepalive: true }),
  };
}

/** The WebSocket endpoint on the host that served the page. */
export function defaultSocketUrl(page = location) {
  return `${page.protocol === 'https:' ? 'wss:' : 'ws:'}//${page.host}/ws`;
}

/** A copy of `body` without the fields at their default value, which the JSON mapping leaves out anyway. */
function withoutEmpty(body) {
  const isEmpty = (v) => v === undefined || v === null || v === '' || v === 0 || v === false
    || (Array.isArray(v) && v.length === 0);
  return Object.fromEntries(Object.entries(body).filter(([, v]) => !isEmpty(v)));
}

/** The name of the one body field of an Envelope, or null for an Envelope without one. */
function bodyKind(envelope) {
  return Object.keys(envelope).find((key) => key !== 'cid') ?? null;
}

/**
 * One logical connection that outlives socket drops until stop().
 *
 * Events (CustomEvent, payload in `detail`):
 *   status         {state: 'connecting'|'online'|'reconnecting'|'offline', delayMs?, code?, reason?}
 *   authenticated  the Authenticated message, after every successful (re)connect
 *   session        a refreshed session from POST /v1/auth/refresh
 *   sessionended   a GuildhallError: the server refused our credentials; no reconnect follows
 *   chatmessage, presence, closing   the pushes of those names
 *   matchevent     a MatchEvent of a match this connection opened, created or joined
 *   notification   a Notification (your turn, game over, invited), stored ones right after authenticating
 *   openmatcheschanged  an OpenMatchesChanged {kind, match}, after listOpenMatches(game, true)
 *   pusherror      a GuildhallError from an Error the server sent without a cid
 *   roomsnapshot, roomevent, roomclosed   RoomSnapshot, RoomEvent and RoomClosed of a room this connection is in
 *   matchmakerticket, matchmakermatched, matchmakercancelled   the matchmaker's pushes
 */
export class GuildhallClient extends EventTarget {
  #url;
  #auth;
  #session;
  #socket = null;
  #stopped = true;
  #online = false;
  #nextCid = 1;
  #pending = new Map();  // cid -> {resolve, reject, timer}
  #pingTimer = null;
  #reconnectTimer = null;
  #reconnectAttempt = 0;
  #lastClosing = null;
  #shownNotifications = new Set();  // ids already emitted: delivery is at least once, so repeats are dropped
  #unacknowledged = [];             // ids emitted or dropped whose AckNotifications is not sent yet

  constructor({ session, url = defaultSocketUrl(), auth = makeAuthApi() }) {
    super();
    this.#session = session;
    this.#url = url;
    this.#auth = auth;
  }

  get online() {
    return this.#online;
  }

  start() {
    this.#stopped = false;
    this.#openSocket();
  }

  /** Closes for good: no reconnect; pending requests fail with DISCONNECTED. */
  stop() {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    if (this.#socket) {
      this.#dropSocket(1000, 'client closed');
    } else {
      this.#emit('status', { state: 'offline' });
    }
  }

  joinChannel(channel) {
    return this.request('joinChannel', { channel });
  }

  leaveChannel(channel) {
    return this.request('leaveChannel', { channel });
  }

  sendMessage(channel, text) {
    return this.request('sendMessage', { channel, text });
  }

  /** One page, newest first; `beforeId` is the previous page's nextBeforeId (a string), absent for the newest. */
  channelHistory(channel, beforeId, limit = 50) {
    return this.#historyPage('channelHistory', { channel, limit }, beforeId);
  }

  /** A direct message to one person; both people's connections get it pushed as a ChatMessage. */
  sendDirect(toUsername, text) {
    return this.request('sendDirect', { toUsername, text });
  }

  /** One page of the conversation with `withUsername`, newest first; paging as channelHistory. */
  directHistory(withUsername, beforeId, limit = 50) {
    return this.#historyPage('directHistory', { withUsername, limit }, beforeId);
  }

  #historyPage(kind, query, beforeId) {
    return this.request(kind, beforeId && beforeId !== '0' ? { ...query, beforeId } : query);
  }

  // ---- turn-based matches (guildhall.proto, "Turn-based matches") ----
  // Each resolves with the answer's body: a MatchSnapshot (createMatch, joinMatch, openMatch, matchAction), a
  // MatchList (listOpenMatches, listMyMatches), MoveAccepted (makeMove), MatchLeft (leaveMatch) or a
  // LeaderboardPage. Match ids are decimal strings.

  /**
   * `spec`: {game, options?, invite?: [username], bot?: {enabled, skillLevel?, moveTimeMs?}, rated?,
   * timeControl?: {initialMs, incrementMs}, seat?: 'SEAT_ANY'|'SEAT_FIRST'|'SEAT_SECOND'}.
   */
  createMatch(spec) {
    return this.request('createMatch', withoutEmpty(spec));
  }

  /**
   * Open matches waiting for players; `game` '' lists every game. `subscribe`: the server then pushes each change
   * to that list ('openmatcheschanged'); a later call without it ends the pushes.
   */
  listOpenMatches(game = '', subscribe = false) {
    return this.request('listOpenMatches', withoutEmpty({ game, subscribe }));
  }

  listMyMatches(includeFinished = false) {
    return this.request('listMyMatches', withoutEmpty({ includeFinished }));
  }

  joinMatch(matchId) {
    return this.request('joinMatch', { matchId: String(matchId) });
  }

  /** Subscribes to the match's events; the snapshot holds the moves after `afterPly` (0: all of them). */
  openMatch(matchId, afterPly = 0) {
    return this.request('openMatch', withoutEmpty({ matchId: String(matchId), afterPly }));
  }

  leaveMatch(matchId) {
    return this.request('leaveMatch', { matchId: String(matchId) });
  }

  /** `ply`: the moves this client has seen; the server refuses a move on a stale position (NOT_YOUR_TURN). */
  makeMove(matchId, move, ply) {
    // `ply` 0 is meaningful (no move seen yet), so it is sent whenever given rather than dropped as empty.
    const body = withoutEmpty({ matchId: String(matchId), move });
    return this.request('makeMove', ply === undefined ? body : { ...body, ply });
  }

  /** kind: 'RESIGN', 'OFFER_DRAW', 'ACCEPT_DRAW', 'DECLINE_DRAW' or 'ABORT'. */
  matchAction(matchId, kind) {
    return this.request('matchAction', { matchId: String(matchId), kind });
  }

  resign(matchId) { return this.matchAction(matchId, 'RESIGN'); }
  offerDraw(matchId) { return this.matchAction(matchId, 'OFFER_DRAW'); }
  acceptDraw(matchId) { return this.matchAction(matchId, 'ACCEPT_DRAW'); }
  declineDraw(matchId) { return this.matchAction(matchId, 'DECLINE_DRAW'); }
  abort(matchId) { return this.matchAction(matchId, 'ABORT'); }

  /** The top `limit` players of `game`, or those around `aroundUsername` when it is given. */
  getLeaderboard(game, { aroundUsername = '', limit = 0 } = {}) {
    return this.request('getLeaderboard', withoutEmpty({ game, aroundUsername, limit }));
  }

  // ---- real-time rooms (guildhall.proto, "Real-time rooms") ----
  // createRoom/joinRoom resolve with RoomJoined, listRooms with RoomList, leaveRoom with RoomLeft. Room ids are
  // decimal strings; `options` are the game's, as strings.

  /** `spec`: {type, options?: {name: value}, private?, invite?: [user id]}. */
  createRoom(spec) {
    return this.request('createRoom', withoutEmpty(spec));
  }

  /**
   * `spec`: {roomId?, type?, options?, spectate?, reservation?}. Without roomId: join-or-create a public room of
   * `type` whose label matches `options`. With a matchmaker reservation: the seat it holds in roomId.
   */
  joinRoom(spec) {
    return this.request('joinRoom', withoutEmpty({ ...spec, roomId: spec.roomId ? String(spec.roomId) : '' }));
  }

  listRooms(type, labelFilter = {}) {
    return this.request('listRooms', withoutEmpty({ type, labelFilter }));
  }

  leaveRoom(roomId) {
    return this.request('leaveRoom', { roomId: String(roomId) });
  }

  /**
   * A RoomInput ({roomId, ackTick, inputs: [{sequence, clientTick, viewTick, data: base64}]}). It has no answer,
   * so it goes without a cid: a refusal comes back as a 'pusherror'. Returns false when not connected.
   */
  sendRoomInput(input) {
    return this.#sendPush('roomInput', input);
  }

  /** A reliable RoomMessage to the game; no answer (a refusal comes back as a 'pusherror'). */
  sendRoomMessage(roomId, type, payload = '') {
    return this.#sendPush('roomMessage', withoutEmpty({ roomId: String(roomId), type, payload }));
  }

  /**
   * Queues for a room of `spec.roomType` ({roomType, stringProperties?, numericProperties?, query?: {equal,
   * ranges}, party?: [username], minCount?, maxCount?}); resolves with the MatchmakerTicket. The match arrives
   * as a 'matchmakermatched' push carrying the room id and the seat reservation to join with.
   */
  matchmakerAdd(spec) {
    return this.request('matchmakerAdd', withoutEmpty(spec));
  }

  matchmakerRemove(ticket) {
    return this.request('matchmakerRemove', { ticket: String(ticket) });
  }

  /** One Ping; resolves with the round trip in milliseconds (the arena's ping display). */
  async measureRtt() {
    const sent = performance.now();
    await this.request('ping', { clientTimeMs: String(Date.now()) });
    return performance.now() - sent;
  }

  #sendPush(kind, body) {
    if (!this.#online || this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify({ [kind]: body }));
    return true;
  }

  /**
   * Sends one request and resolves with the body of its answer, or rejects with a GuildhallError carrying the
   * server's code (or DISCONNECTED / TIMEOUT). Only an authenticated connection takes requests.
   */
  request(kind, body) {
    if (!this.#online) {
      return Promise.reject(new GuildhallError('DISCONNECTED', 'not connected'));
    }
    return this.#sendRequest(kind, body);
  }

  #sendRequest(kind, body) {
    const socket = this.#socket;
    if (socket?.readyState !== WebSocket.OPEN) {
      return Promise.reject(new GuildhallError('DISCONNECTED', 'not connected'));
    }
    return new Promise((resolve, reject) => {
      const cid = this.#takeCid();
      const timer = setTimeout(() => {
        this.#pending.delete(cid);
        reject(new GuildhallError('TIMEOUT', `no answer to ${kind}`));
        if (this.#socket === socket) this.#dropSocket(4000, 'request timed out');
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(cid, { resolve, reject, timer });
      socket.send(JSON.stringify({ cid, [kind]: body }));
    });
  }

  #takeCid() {
    const cid = this.#nextCid;
    this.#nextCid = cid >= MAX_CID ? 1 : cid + 1;
    return cid;
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #openSocket() {
    this.#emit('status', { state: 'connecting' });
    this.#lastClosing = null;
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    socket.onopen = () => this.#authenticate(socket);
    socket.onmessage = (event) => this.#onFrame(event.data);
    // 'error' is always followed by 'close', which does the work.
    socket.onclose = (event) => this.#onSocketClosed(event.code, event.reason);
  }

  async #authenticate(socket) {
    try {
      let answer;
      try {
        answer = await this.#sendRequest('authenticate', { token: this.#session.token });
      } catch (err) {
        if (err.code !== 'TOKEN_EXPIRED') throw err;
        this.#session = await this.#auth.refresh(this.#session.refresh_token, this.#session.user_id);
        this.#emit('session', this.#session);
        if (this.#socket !== socket) return;  // dropped while refreshing; the next socket starts over
        answer = await this.#sendRequest('authenticate', { token: this.#session.token });
      }
      this.#online = true;
      this.#reconnectAttempt = 0;
      this.#pingTimer = setInterval(() => this.#ping(), PING_INTERVAL_MS);
      this.#emit('status', { state: 'online' });
      this.#emit('authenticated', answer);
    } catch (err) {
      if (TRANSIENT_CODES.has(err.code)) return;  // the close handler reconnects
      // Refused credentials will not get better by retrying.
      this.#stopped = true;
      this.#emit('sessionended', err);
      if (this.#socket === socket) this.#dropSocket(1000, 'authentication failed');
    }
  }

  #ping() {
    this.#sendRequest('ping', { clientTimeMs: String(Date.now()) }).catch(() => {
      // A lost Pong is handled by the request timeout.
    });
  }

  #onFrame(data) {
    if (typeof data !== 'string') return;  // we speak JSON, so the server answers in text
    let envelope;
    try {
      envelope = JSON.parse(data);
    } catch {
      console.warn('guildhall: undecodable frame', data);
      return;
    }
    const kind = bodyKind(envelope);
    const body = kind === null ? {} : envelope[kind];
    const cid = Number(envelope.cid ?? 0);
    if (cid !== 0) {
      this.#settle(cid, kind, body);
      return;
    }
    switch (kind) {
      case 'chatMessage': this.#emit('chatmessage', body); break;
      case 'presence': this.#emit('presence', body); break;
      case 'matchEvent': this.#emit('matchevent', body); break;
      case 'notification': this.#onNotification(body); break;
      case 'openMatchesChanged': this.#emit('openmatcheschanged', body); break;
      case 'roomSnapshot': this.#emit('roomsnapshot', body); break;
      case 'roomEvent': this.#emit('roomevent', body); break;
      case 'roomClosed': this.#emit('roomclosed', body); break;
      case 'matchmakerTicket': this.#emit('matchmakerticket', body); break;
      case 'matchmakerMatched': this.#emit('matchmakermatched', body); break;
      case 'matchmakerCancelled': this.#emit('matchmakercancelled', body); break;
      case 'closing':
        this.#lastClosing = body;
        this.#emit('closing', body);
        break;
      case 'error': this.#emit('pusherror', new GuildhallError(body.code, body.message, body)); break;
      default: console.warn('guildhall: unexpected push', envelope);
    }
  }

  #onNotification(body) {
    const id = String(body.notificationId ?? '0');
    this.#acknowledge(id);
    if (this.#shownNotifications.has(id)) return;
    this.#shownNotifications.add(id);
    if (this.#shownNotifications.size > MAX_REMEMBERED_NOTIFICATIONS) {
      this.#shownNotifications.delete(this.#shownNotifications.values().next().value);
    }
    this.#emit('notification', body);
  }

  // One request per burst (the stored ones arrive together after authenticating), since each request spends the
  // rate budget. A lost acknowledgement only means the notification comes again, and is dropped above.
  #acknowledge(id) {
    this.#unacknowledged.push(id);
    if (this.#unacknowledged.length > 1) return;
    setTimeout(() => {
      const ids = this.#unacknowledged.splice(0);
      for (let i = 0; i < ids.length; i += MAX_ACK_IDS) {
        this.#sendRequest('ackNotifications', { notificationIds: ids.slice(i, i + MAX_ACK_IDS) }).catch(() => {});
      }
    }, 0);
  }

  #settle(cid, kind, body) {
    const waiter = this.#pending.get(cid);
    if (!waiter) return;  // answered after its timeout
    this.#pending.delete(cid);
    clearTimeout(waiter.timer);
    if (kind === 'error') {
      waiter.reject(new GuildhallError(body.code || 'ERROR_CODE_UNSPECIFIED', body.message, body));
    } else {
      waiter.resolve(body);
    }
  }

  /** Forgets the socket at once rather than wait for a close handshake that a dead peer never finishes. */
  #dropSocket(code, reason) {
    const socket = this.#socket;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    socket.close(code, reason);
    this.#onSocketClosed(code, reason);
  }

  #onSocketClosed(code, reason) {
    this.#socket = null;
    this.#online = false;
    clearInterval(this.#pingTimer);
    for (const waiter of this.#pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(new GuildhallError('DISCONNECTED', 'connection closed'));
    }
    this.#pending.clear();
    // The Closing push says why more reliably than a close frame, which a proxy may rewrite.
    const why = this.#lastClosing ?? { code, reason };
    if (this.#stopped) {
      this.#emit('status', { state: 'offline', code: why.code, reason: why.reason });
      return;
    }
    const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.#reconnectAttempt);
    const delayMs = Math.round(ceiling * (0.5 + Math.random() / 2));  // jitter spreads a crowd's reconnects
    this.#reconnectAttempt += 1;
    this.#emit('status', { state: 'reconnecting', delayMs, code: why.code, reason: why.reason });
    this.#reconnectTimer = setTimeout(() => this.#openSocket(), delayMs);
  }
}
