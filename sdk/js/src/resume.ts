// What a new connection lacks after a reconnect, and how GuildhallClient asks for it again: the server forgets a
// connection's channels and match subscriptions with it, and keeps a room seat only for its reconnection grace
// (rooms.reconnect_grace_ms), within which JoinRoom with the same id returns to it.

import type { Answers } from './answers.js';
import { GuildhallError, ServerError } from './errors.js';
import type * as v1 from './protocol.js';

/** The most matches followed at once: bounds the requests a reconnect sends (each spends the rate budget). */
export const MAX_FOLLOWED_MATCHES = 64;
/** The most channels resumed; the server's own per-connection bound is lower. */
export const MAX_RESUMED_CHANNELS = 256;

type Send = <K extends keyof Answers>(kind: K, body: v1.Requests[K]) => Promise<Answers[K]>;
type Emit = (type: string, detail: unknown) => void;

export interface ResumePolicy {
  channels: boolean;
  room: boolean;
  matches: boolean;
}

const ENDED = new Set(['FINISHED', 'ABORTED']);

export class ResumeTracker {
  readonly #policy: ResumePolicy;
  #channels = new Set<string>();
  #room: v1.RoomJoined | null = null;
  #spectating = false;
  #matches = new Map<string, number>();  // match id -> the last ply seen

  constructor(policy: ResumePolicy) {
    this.#policy = policy;
  }

  get channels(): string[] {
    return [...this.#channels];
  }

  get room(): v1.RoomJoined | null {
    return this.#room;
  }

  /** Match id -> the last ply seen, for the matches a reconnect opens again. */
  get matches(): ReadonlyMap<string, number> {
    return this.#matches;
  }

  addChannel(channel: string): void {
    if (this.#channels.size < MAX_RESUMED_CHANNELS) this.#channels.add(channel);
  }

  removeChannel(channel: string): void {
    this.#channels.delete(channel);
  }

  enterRoom(joined: v1.RoomJoined, spectate: boolean): void {
    this.#room = joined;
    this.#spectating = spectate;
  }

  leaveRoom(roomId: string): void {
    if (this.#room && String(this.#room.room?.roomId ?? '0') === roomId) this.#room = null;
  }

  roomClosed(roomId: string): void {
    this.leaveRoom(roomId);
  }

  followMatch(info: v1.MatchInfo | undefined): void {
    if (!info?.matchId) return;
    if (ENDED.has(info.status ?? '')) {
      this.#matches.delete(info.matchId);
      return;
    }
    if (!this.#matches.has(info.matchId) && this.#matches.size >= MAX_FOLLOWED_MATCHES) {
      this.#matches.delete(this.#matches.keys().next().value as string);  // the oldest followed
    }
    this.#matches.set(info.matchId, Math.max(this.#matches.get(info.matchId) ?? 0, Number(info.ply ?? 0)));
  }

  unfollowMatch(matchId: string): void {
    this.#matches.delete(matchId);
  }

  sawMatchEvent(event: v1.MatchEvent): void {
    const matchId = event.info?.matchId;
    if (!matchId || !this.#matches.has(matchId)) return;
    this.followMatch(event.info);
  }

  /** Sends the resume requests on the new connection; outcomes become events (client.ts ClientEvents). */
  resume(send: Send, emit: Emit): void {
    const failed = (what: string) => (err: unknown) => {
      const error = err as GuildhallError;
      emit('resumeerror', new GuildhallError(error.code ?? 'ERROR', `${what}: ${error.message}`));
      return error;
    };
    if (this.#policy.channels) {
      for (const channel of this.#channels) {
        send('joinChannel', { channel }).then((joined) => emit('channelrejoined', joined), (err) => {
          if (err instanceof ServerError) this.#channels.delete(channel);
          failed(`rejoining #${channel}`)(err);
        });
      }
    }
    if (this.#policy.room && this.#room) this.#resumeRoom(send, emit, failed);
    if (this.#policy.matches) {
      for (const [matchId, ply] of this.#matches) {
        send('openMatch', ply ? { matchId, afterPly: ply } : { matchId }).then((snapshot) => {
          this.followMatch(snapshot.info);
          emit('matchresumed', snapshot);
        }, (err) => {
          if (err instanceof ServerError) this.#matches.delete(matchId);
          failed(`reopening match ${matchId}`)(err);
        });
      }
    }
  }

  #resumeRoom(send: Send, emit: Emit, failed: (what: string) => (err: unknown) => GuildhallError): void {
    const roomId = String(this.#room?.room?.roomId ?? '0');
    const body: v1.JoinRoom = this.#spectating ? { roomId, spectate: true } : { roomId };
    send('joinRoom', body).then((joined) => {
      if (String(this.#room?.room?.roomId ?? '') !== roomId) return;  // left meanwhile
      this.#room = joined;
      emit('roomrejoined', joined);
    }, (err) => {
      if (!(err instanceof ServerError)) return;  // the connection dropped again: the next one tries again
      // The grace ran out or the room ended while we were away: the room is gone for this player.
      if (String(this.#room?.room?.roomId ?? '') === roomId) this.#room = null;
      const error = failed(`rejoining room ${roomId}`)(err);
      const message = `could not rejoin the room: ${error.message}`;
      emit('roomclosed', { roomId, reason: 'REASON_UNSPECIFIED', message });
    });
  }
}
