// GuildhallClient: the typed calls of the protocol (chat, turn-based matches, leaderboards, rooms, matchmaker)
// on one GuildhallConnection, the pushes as named events, and what a reconnect resumes: the chat channels this
// client joined, the room it is in (within the server's reconnection grace) and the matches it follows (their
// missed moves). Ids (64-bit) are decimal strings; the calls accept numbers too.

import { ANSWER_KINDS, PUSH_EVENTS, type Answers } from './answers.js';
import type { Session } from './auth.js';
import {
  type ConnectionOptions, GuildhallConnection, type RequestOptions, type StatusDetail,
} from './connection.js';
import { AuthFailed, fromErrorBody, GuildhallError, NotConnected, ServerError } from './errors.js';
import type * as v1 from './protocol.js';
import { ResumeTracker } from './resume.js';

const MAX_ACK_IDS = 100;                     // the server's bound per AckNotifications
const MAX_REMEMBERED_NOTIFICATIONS = 1_000;  // ids kept for dropping repeats; a repeat comes within one session

export type Id = string | number | bigint;

/** Every event a GuildhallClient dispatches, with the type of its `detail`. */
export interface ClientEvents {
  status: StatusDetail;
  authenticated: v1.Authenticated;
  session: Session;
  sessionended: AuthFailed;
  chatmessage: v1.ChatMessage;
  presence: v1.PresenceEvent;
  closing: v1.Closing;
  matchevent: v1.MatchEvent;
  /** Delivered at least once by the server; repeats are dropped here and each one is acknowledged. */
  notification: v1.Notification;
  openmatcheschanged: v1.OpenMatchesChanged;
  roomsnapshot: v1.RoomSnapshot;
  roomevent: v1.RoomEvent;
  roomclosed: v1.RoomClosed;
  matchmakerticket: v1.MatchmakerTicket;
  matchmakermatched: v1.MatchmakerMatched;
  matchmakercancelled: v1.MatchmakerCancelled;
  /** An Error the server sent without a cid (a refused RoomInput, say). */
  pusherror: ServerError;
  /** After a reconnect: a channel joined again (its members now). */
  channelrejoined: v1.ChannelJoined;
  /** After a reconnect: back in the room (RoomJoined.returned says whether the seat was kept). */
  roomrejoined: v1.RoomJoined;
  /** After a reconnect: a followed match again, with the moves made while away in `moves`. */
  matchresumed: v1.MatchSnapshot;
  /** After a reconnect: something could not be resumed (a room gone, a channel refused). */
  resumeerror: GuildhallError;
}

export interface ClientOptions extends ConnectionOptions {
  /** Join this client's channels again after a reconnect ('channelrejoined'). Default true. */
  resumeChannels?: boolean;
  /** Join the room again after a reconnect ('roomrejoined'). Default true. */
  resumeRoom?: boolean;
  /** Open the followed matches again after a reconnect, from the last ply seen ('matchresumed'). Default true. */
  resumeMatches?: boolean;
}

/** A copy of `body` without the fields at their default value, which the JSON mapping leaves out anyway. */
function withoutEmpty<T extends object>(body: T): T {
  const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || v === 0 || v === false
    || (Array.isArray(v) && v.length === 0);
  return Object.fromEntries(Object.entries(body).filter(([, v]) => !isEmpty(v))) as T;
}

const id = (value: Id): string => String(value);

/**
 * One player's connection to a Guildhall server. Every call resolves with the answer's body or rejects with a
 * GuildhallError subclass (errors.ts). Listen with on(type, handler) or addEventListener (CustomEvent.detail).
 */
export class GuildhallClient extends GuildhallConnection {
  readonly #resume: ResumeTracker;
  #shownNotifications = new Set<string>();
  #unacknowledged: string[] = [];

  constructor(options: ClientOptions) {
    super(options);
    this.#resume = new ResumeTracker({
      channels: options.resumeChannels ?? true,
      room: options.resumeRoom ?? true,
      matches: options.resumeMatches ?? true,
    });
  }

  /** Calls `handler` with each `type` event's detail; returns the function that stops it. */
  on<K extends keyof ClientEvents>(type: K, handler: (detail: ClientEvents[K]) => void): () => void {
    const listener = (event: Event) => handler((event as CustomEvent<ClientEvents[K]>).detail);
    this.addEventListener(type, listener);
    return () => this.removeEventListener(type, listener);
  }

  /** The next `type` event's detail; rejects with a RequestTimeout-like GuildhallError after `timeoutMs`. */
  once<K extends keyof ClientEvents>(type: K, timeoutMs = 15_000): Promise<ClientEvents[K]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new GuildhallError('TIMEOUT', `no ${type} event within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on(type, (detail) => {
        clearTimeout(timer);
        off();
        resolve(detail);
      });
    });
  }

  /**
   * Sends one request and resolves with its answer's body; rejects with ServerError / AuthFailed (refused),
   * RequestTimeout, ConnectionLost or NotConnected. The typed calls below are this with their arguments.
   */
  request<K extends keyof Answers>(kind: K, body: v1.Requests[K], options: RequestOptions = {}): Promise<Answers[K]> {
    if (!this.online) return Promise.reject(new NotConnected());
    return this.sendRequest(kind, body, { expect: ANSWER_KINDS[kind], ...options }) as Promise<Answers[K]>;
  }

  // ---- chat --------------------------------------------------------------------------------------------------

  /** Joins (creating it if new) `channel`; it is joined again after every reconnect until leaveChannel. */
  async joinChannel(channel: string): Promise<v1.ChannelJoined> {
    this.#resume.addChannel(channel);
    try {
      return await this.request('joinChannel', { channel });
    } catch (err) {
      if (err instanceof ServerError) this.#resume.removeChannel(channel);  // refused: nothing to resume
      throw err;
    }
  }

  leaveChannel(channel: string): Promise<v1.ChannelLeft> {
    this.#resume.removeChannel(channel);
    return this.request('leaveChannel', { channel });
  }

  listMembers(channel: string): Promise<v1.MemberList> {
    return this.request('listMembers', { channel });
  }

  sendMessage(channel: string, text: string): Promise<v1.MessageAccepted> {
    return this.request('sendMessage', { channel, text });
  }

  /** One page, newest first; `beforeId` is the previous page's nextBeforeId, absent for the newest page. */
  channelHistory(channel: string, beforeId?: Id | null, limit = 50): Promise<v1.HistoryPage> {
    return this.request('channelHistory', withBefore({ channel, limit }, beforeId));
  }

  /** A direct message to one person; both people's connections get it pushed as a ChatMessage. */
  sendDirect(toUsername: string, text: string): Promise<v1.MessageAccepted> {
    return this.request('sendDirect', { toUsername, text });
  }

  /** One page of the conversation with `withUsername`, newest first; paging as channelHistory. */
  directHistory(withUsername: string, beforeId?: Id | null, limit = 50): Promise<v1.HistoryPage> {
    return this.request('directHistory', withBefore({ withUsername, limit }, beforeId));
  }

  /** Channels this client has joined (and will join again after a reconnect). */
  get channels(): string[] {
    return this.#resume.channels;
  }

  // ---- turn-based matches ------------------------------------------------------------------------------------
  // A match created, joined or opened here is followed: its MatchEvents arrive as 'matchevent', and after a
  // reconnect it is opened again from the last ply seen ('matchresumed'), until it ends or leaveMatch.

  async createMatch(spec: v1.CreateMatch): Promise<v1.MatchSnapshot> {
    return this.#follow(await this.request('createMatch', withoutEmpty(spec)));
  }

  /** Open matches waiting for players; `game` '' lists every game. `subscribe`: push changes of that list. */
  listOpenMatches(game = '', subscribe = false): Promise<v1.MatchList> {
    return this.request('listOpenMatches', withoutEmpty({ game, subscribe }));
  }

  listMyMatches(includeFinished = false): Promise<v1.MatchList> {
    return this.request('listMyMatches', withoutEmpty({ includeFinished }));
  }

  async joinMatch(matchId: Id): Promise<v1.MatchSnapshot> {
    return this.#follow(await this.request('joinMatch', { matchId: id(matchId) }));
  }

  /** Subscribes to the match's events; the snapshot holds the moves after `afterPly` (0: all of them). */
  async openMatch(matchId: Id, afterPly = 0): Promise<v1.MatchSnapshot> {
    return this.#follow(await this.request('openMatch', withoutEmpty({ matchId: id(matchId), afterPly })));
  }

  leaveMatch(matchId: Id): Promise<v1.MatchLeft> {
    this.#resume.unfollowMatch(id(matchId));
    return this.request('leaveMatch', { matchId: id(matchId) });
  }

  /** `ply`: the moves this client has seen; the server refuses a move on a stale position (NOT_YOUR_TURN). */
  makeMove(matchId: Id, move: string, ply?: number): Promise<v1.MoveAccepted> {
    // ply 0 is meaningful (no move seen yet), so it is sent whenever given rather than dropped as empty.
    const body: v1.MakeMove = withoutEmpty({ matchId: id(matchId), move });
    return this.request('makeMove', ply === undefined ? body : { ...body, ply });
  }

  matchAction(matchId: Id, kind: v1.MatchAction_Kind): Promise<v1.MatchSnapshot> {
    return this.request('matchAction', { matchId: id(matchId), kind });
  }

  resign(matchId: Id) { return this.matchAction(matchId, 'RESIGN'); }
  offerDraw(matchId: Id) { return this.matchAction(matchId, 'OFFER_DRAW'); }
  acceptDraw(matchId: Id) { return this.matchAction(matchId, 'ACCEPT_DRAW'); }
  declineDraw(matchId: Id) { return this.matchAction(matchId, 'DECLINE_DRAW'); }
  abort(matchId: Id) { return this.matchAction(matchId, 'ABORT'); }

  /** The top `limit` players of `game`, or those around `aroundUsername`. */
  getLeaderboard(game: string, { aroundUsername = '', limit = 0 } = {}): Promise<v1.LeaderboardPage> {
    return this.request('getLeaderboard', withoutEmpty({ game, aroundUsername, limit }));
  }

  #follow(snapshot: v1.MatchSnapshot): v1.MatchSnapshot {
    this.#resume.followMatch(snapshot.info);
    return snapshot;
  }

  // ---- real-time rooms ---------------------------------------------------------------------------------------
  // createRoom/joinRoom make the room this client is in: after a reconnect it joins it again ('roomrejoined'),
  // the seat kept if within the server's grace, until leaveRoom or a RoomClosed.

  async createRoom(spec: v1.CreateRoom): Promise<v1.RoomJoined> {
    return this.#enterRoom(await this.request('createRoom', withoutEmpty(spec)), false);
  }

  /**
   * Without roomId: join-or-create a public room of `type` whose label matches `options`. With a matchmaker
   * reservation: the seat it holds in roomId. `spectate`: watch without a seat.
   */
  async joinRoom(spec: Omit<v1.JoinRoom, 'roomId'> & { roomId?: Id }): Promise<v1.RoomJoined> {
    const body: v1.JoinRoom = withoutEmpty({ ...spec, roomId: spec.roomId ? id(spec.roomId) : '' });
    return this.#enterRoom(await this.request('joinRoom', body), Boolean(spec.spectate));
  }

  listRooms(type: string, labelFilter: Record<string, string> = {}): Promise<v1.RoomList> {
    return this.request('listRooms', withoutEmpty({ type, labelFilter }));
  }

  leaveRoom(roomId: Id): Promise<v1.RoomLeft> {
    this.#resume.leaveRoom(id(roomId));
    return this.request('leaveRoom', { roomId: id(roomId) });
  }

  /** A RoomInput ({roomId, ackTick, inputs}); no answer. Returns false when not connected. */
  sendRoomInput(input: v1.RoomInput): boolean {
    return this.sendOneWay('roomInput', input);
  }

  /** A reliable RoomMessage to the game; no answer (a refusal is a 'pusherror'). False when not connected. */
  sendRoomMessage(roomId: Id, type: string, payload = ''): boolean {
    return this.sendOneWay('roomMessage', withoutEmpty({ roomId: id(roomId), type, payload }));
  }

  /** The room this client is in (as last joined), or null. */
  get room(): v1.RoomJoined | null {
    return this.#resume.room;
  }

  #enterRoom(joined: v1.RoomJoined, spectate: boolean): v1.RoomJoined {
    this.#resume.enterRoom(joined, spectate);
    return joined;
  }

  // ---- matchmaker --------------------------------------------------------------------------------------------

  /** Queues for a room of `spec.roomType`; the match arrives as 'matchmakermatched' with a reservation. */
  matchmakerAdd(spec: v1.MatchmakerAdd): Promise<v1.MatchmakerTicket> {
    return this.request('matchmakerAdd', withoutEmpty(spec));
  }

  matchmakerRemove(ticket: Id): Promise<v1.MatchmakerRemoved> {
    return this.request('matchmakerRemove', { ticket: id(ticket) });
  }

  /** One Ping; resolves with the round trip in milliseconds. */
  async measureRtt(): Promise<number> {
    const sent = performance.now();
    await this.request('ping', { clientTimeMs: String(Date.now()) });
    return performance.now() - sent;
  }

  // ---- pushes and resume -------------------------------------------------------------------------------------

  protected override onAuthenticated(_answer: v1.Authenticated, reconnected: boolean): void {
    if (!reconnected) return;
    // Sent before 'authenticated' is dispatched, so what listeners ask for then reaches the server after them.
    const send = <K extends keyof Answers>(kind: K, body: v1.Requests[K]) =>
      this.sendRequest(kind, body, { expect: ANSWER_KINDS[kind] }) as Promise<Answers[K]>;
    this.#resume.resume(send, (type, detail) => this.emit(type, detail));
  }

  protected override onPush(kind: string, body: unknown): void {
    if (kind === 'error') {
      this.emit('pusherror', fromErrorBody(body as v1.Error));
      return;
    }
    if (kind === 'notification') {
      this.#onNotification(body as v1.Notification);
      return;
    }
    if (kind === 'roomClosed') this.#resume.roomClosed(id((body as v1.RoomClosed).roomId ?? '0'));
    if (kind === 'matchEvent') this.#resume.sawMatchEvent(body as v1.MatchEvent);
    // MatchmakerTicket answers MatchmakerAdd, and is pushed to the other members of a party.
    const event = kind === 'matchmakerTicket' ? 'matchmakerticket' : PUSH_EVENTS[kind as v1.PushKind];
    if (event) this.emit(event, body);
  }

  #onNotification(body: v1.Notification): void {
    const noteId = String(body.notificationId ?? '0');
    this.#acknowledge(noteId);
    if (this.#shownNotifications.has(noteId)) return;
    this.#shownNotifications.add(noteId);
    if (this.#shownNotifications.size > MAX_REMEMBERED_NOTIFICATIONS) {
      this.#shownNotifications.delete(this.#shownNotifications.values().next().value as string);
    }
    this.emit('notification', body);
  }

  // One request per burst (the stored ones arrive together after authenticating), since each request spends the
  // rate budget. A lost acknowledgement only means the notification comes again, and is dropped above.
  #acknowledge(noteId: string): void {
    this.#unacknowledged.push(noteId);
    if (this.#unacknowledged.length > 1) return;
    setTimeout(() => {
      const ids = this.#unacknowledged.splice(0);
      for (let i = 0; i < ids.length; i += MAX_ACK_IDS) {
        this.sendRequest('ackNotifications', { notificationIds: ids.slice(i, i + MAX_ACK_IDS) }).catch(() => {});
      }
    }, 0);
  }
}

/** `query` with beforeId when it names a message; null, undefined, '' and '0' mean the newest page. */
function withBefore<T extends object>(query: T, beforeId: Id | null | undefined): T & { beforeId?: string } {
  const before = beforeId === null || beforeId === undefined ? '' : String(beforeId);
  return before !== '' && before !== '0' ? { ...query, beforeId: before } : query;
}
