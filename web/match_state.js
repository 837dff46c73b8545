// What the page knows about one match, built from a MatchSnapshot and kept current by MatchEvents. Pure data:
// no DOM, no socket, and the time is passed in, so it can be reasoned about (and tested) on its own.
//
// The JSON mapping leaves out fields at their default value, so every read below falls back to the proto
// default: a missing `toMove`, `yourSeat` or `winner` is 0, a missing list is empty. 64-bit fields (clocks,
// times, ids) arrive as strings.

const SEAT_NAMES = { chess: ['White', 'Black'], tictactoe: ['X', 'O'] };

/** "White", "O", or "Seat 3" for games without names of their own. */
export function seatName(game, seat) {
  return SEAT_NAMES[game]?.[seat] ?? `Seat ${seat + 1}`;
}

/** "5+3" (minutes + increment seconds), or "no clock". */
export function timeControlText(timeControl) {
  const initialMs = Number(timeControl?.initialMs ?? 0);
  const incrementMs = Number(timeControl?.incrementMs ?? 0);
  if (initialMs === 0) return 'no clock';
  const trim = (n) => String(Math.round(n * 100) / 100);
  return `${trim(initialMs / 60_000)}+${trim(incrementMs / 1000)}`;
}

/** MatchInfo with every field present and numbers as numbers. */
export function normalizeInfo(info = {}) {
  return {
    matchId: info.matchId ?? '0',
    game: info.game ?? '',
    status: info.status ?? 'STATUS_UNSPECIFIED',
    players: (info.players ?? []).map((p) => ({
      userId: p.userId ?? '0',
      username: p.username ?? '',
      bot: p.bot ?? false,
      rating: p.rating ?? 0,
      invited: p.invited ?? [],
    })),
    toMove: info.toMove ?? 0,
    ply: info.ply ?? 0,
    timeControl: { initialMs: info.timeControl?.initialMs ?? 0, incrementMs: info.timeControl?.incrementMs ?? 0 },
    clockMs: (info.clockMs ?? []).map(Number),
    rated: info.rated ?? false,
    result: { winner: info.result?.winner ?? 0, reason: info.result?.reason ?? '' },
    drawOfferedBy: info.drawOfferedBy ?? 0,
    createdAtMs: Number(info.createdAtMs ?? 0),
    clockRunning: info.clockRunning ?? false,    // false before the side to move has made its first move
    creatorOnline: info.creatorOnline ?? false,  // open matches: whether the seated players are connected
  };
}

function normalizeMove(move = {}) {
  return {
    ply: move.ply ?? 0,
    seat: move.seat ?? 0,
    move: move.move ?? '',
    display: move.display ?? '',
    atMs: Number(move.atMs ?? 0),
    clockMs: Number(move.clockMs ?? 0),
  };
}

export function isFreeSeat(player) {
  return !player.userId || player.userId === '0';
}

export class MatchState {
  /** `nowMs`: the local monotonic time the snapshot arrived (performance.now()), for the clocks. */
  constructor(snapshot, nowMs) {
    this.moves = [];  // MoveRecords, moves[i].ply === i + 1
    this.applySnapshot(snapshot, nowMs);
  }

  get matchId() { return this.info.matchId; }
  get game() { return this.info.game; }
  /** The number of moves this page has seen: the `after_ply` for re-opening and the `ply` for MakeMove. */
  get lastPly() { return this.moves.length; }
  get lastMove() { return this.moves.at(-1) ?? null; }
  get isPlayer() { return this.yourSeat >= 0; }
  get active() { return this.info.status === 'ACTIVE'; }
  get over() { return this.info.status === 'FINISHED' || this.info.status === 'ABORTED'; }
  get myTurn() { return this.active && this.isPlayer && this.info.toMove === this.yourSeat; }
  get hasClock() { return this.info.timeControl.initialMs > 0; }

  /**
   * A snapshot replaces everything but the moves, which it extends: one that answers OpenMatch{after_ply}
   * holds only the moves after that ply. Returns false when it leaves a hole (moves missing before its first).
   */
  applySnapshot(snapshot, nowMs) {
    this.info = normalizeInfo(snapshot.info);
    this.yourSeat = snapshot.yourSeat ?? 0;
    this.view = snapshot.view ?? '';
    this.legalMoves = snapshot.legalMoves ?? [];
    this.clockReceivedAt = nowMs;
    let whole = true;
    for (const move of (snapshot.moves ?? []).map(normalizeMove)) whole = this.#addMove(move) && whole;
    return whole && this.moves.length === this.info.ply;
  }

  /**
   * Applies one MatchEvent. Returns 'applied', 'stale' (a move this page already has: nothing changes), or
   * 'gap' (a move after one the page never saw: re-open the match with after_ply = lastPly to catch up).
   */
  applyEvent(event, nowMs) {
    if (event.move) {
      const move = normalizeMove(event.move);
      if (move.ply <= this.moves.length) return 'stale';
      if (!this.#addMove(move)) return 'gap';
    }
    const info = normalizeInfo(event.info);
    if (info.ply < this.info.ply) return 'stale';  // older than the snapshot we hold
    if (info.ply > this.moves.length) return 'gap';
    this.info = info;
    this.view = event.view ?? this.view;
    this.legalMoves = event.legalMoves ?? [];
    this.clockReceivedAt = nowMs;
    return 'applied';
  }

  #addMove(move) {
    if (move.ply <= this.moves.length) return true;  // already known
    if (move.ply !== this.moves.length + 1) return false;
    this.moves.push(move);
    return true;
  }

  /** The seat whose clock is running, or -1. */
  get runningSeat() {
    return this.active && this.hasClock && this.info.clockRunning ? this.info.toMove : -1;
  }

  /** Time left for `seat` at local time `nowMs`: the server's value, less what elapsed since it arrived. */
  clockAt(seat, nowMs) {
    const base = this.info.clockMs[seat] ?? this.info.timeControl.initialMs;
    const elapsed = seat === this.runningSeat ? nowMs - this.clockReceivedAt : 0;
    return Math.max(0, base - elapsed);
  }

  get drawOfferedByOpponent() {
    const by = this.info.drawOfferedBy;
    return this.active && this.isPlayer && by >= 0 && by !== this.yourSeat;
  }

  /** Which buttons make sense now, from this viewer's seat. */
  get permitted() {
    const { status, drawOfferedBy, ply } = this.info;
    const playing = this.active && this.isPlayer;
    return {
      resign: playing,
      offerDraw: playing && drawOfferedBy < 0,
      acceptDraw: this.drawOfferedByOpponent,
      declineDraw: this.drawOfferedByOpponent,
      abort: this.isPlayer && (status === 'OPEN' || (this.active && ply < 2)),
      join: status === 'OPEN' && !this.isPlayer && this.info.players.some(isFreeSeat),
    };
  }

  /** One line for people: whose turn, or how it ended. */
  statusText() {
    const { status, toMove, result, drawOfferedBy, players } = this.info;
    const name = (seat) => seatName(this.game, seat);
    switch (status) {
      case 'OPEN': {
        const invited = players.filter(isFreeSeat).flatMap((p) => p.invited);
        return invited.length ? `Waiting for ${invited.join(', ')} to join` : 'Waiting for an opponent';
      }
      case 'ACTIVE': {
        let text = this.myTurn ? `${name(toMove)} to move: your turn` : `${name(toMove)} to move`;
        if (drawOfferedBy >= 0) text += ` · ${name(drawOfferedBy)} offers a draw`;
        return text;
      }
      case 'FINISHED':
        return result.winner >= 0 ? `${name(result.winner)} wins by ${result.reason}` : `Draw by ${result.reason}`;
      case 'ABORTED':
        return `Aborted (${result.reason})`;
      default:
        return status;
    }
  }
}
