// The match panel: players and their clocks, the board, whose turn or how it ended, the moves, and the buttons
// that make sense for this viewer. It draws a MatchState and reports what the user does; play.js talks to the
// server.

import { byId, make } from './dom.js';
import { ChessBoard } from './chess_board.js';
import { TictactoeBoard } from './tictactoe_board.js';
import { seatName, timeControlText, isFreeSeat } from './match_state.js';

const CLOCK_TICK_MS = 100;
const TENTHS_BELOW_MS = 10_000;  // the last seconds show tenths

const BOARDS = { chess: ChessBoard, tictactoe: TictactoeBoard };

/** "4:05", "1:02:03", or "0:07.3" in the last ten seconds. */
export function formatClock(ms) {
  const total = Math.max(0, ms);
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor(total / 60_000) % 60;
  const seconds = Math.floor(total / 1000) % 60;
  const pad = (n) => String(n).padStart(2, '0');
  if (total < TENTHS_BELOW_MS) return `0:${pad(seconds)}.${Math.floor(total / 100) % 10}`;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

export class MatchView {
  #ui = {
    root: byId('match-view'), title: byId('match-title'), close: byId('match-close'),
    top: byId('player-top'), bottom: byId('player-bottom'), others: byId('player-others'), board: byId('board'),
    status: byId('match-status'), result: byId('match-result'), moves: byId('move-list'),
    confirm: { root: byId('resign-confirm'), yes: byId('resign-yes'), no: byId('resign-no') },
    buttons: {
      join: byId('join-match'), resign: byId('resign'), offerDraw: byId('offer-draw'),
      acceptDraw: byId('accept-draw'), declineDraw: byId('decline-draw'), abort: byId('abort'),
    },
  };
  #onMove;
  #state = null;
  #board = null;
  #boardGame = null;
  #clocks = [];      // [{seat, element}]
  #ticker = null;

  /**
   * `onMove(uci)`, `onAction(kind)` with a MatchAction kind, `onJoin()`, `onClose()`.
   */
  constructor({ onMove, onAction, onJoin, onClose }) {
    this.#onMove = onMove;
    const { buttons } = this.#ui;
    buttons.join.addEventListener('click', () => onJoin());
    // Resigning cannot be undone and the button sits next to the others: it asks first.
    buttons.resign.addEventListener('click', () => this.#askToResign(true));
    this.#ui.confirm.no.addEventListener('click', () => this.#askToResign(false));
    this.#ui.confirm.yes.addEventListener('click', () => {
      this.#askToResign(false);
      onAction('RESIGN');
    });
    buttons.offerDraw.addEventListener('click', () => onAction('OFFER_DRAW'));
    buttons.acceptDraw.addEventListener('click', () => onAction('ACCEPT_DRAW'));
    buttons.declineDraw.addEventListener('click', () => onAction('DECLINE_DRAW'));
    buttons.abort.addEventListener('click', () => onAction('ABORT'));
    this.#ui.close.addEventListener('click', () => onClose());
  }

  /** Draws `state` (a MatchState); call again after every change to it. */
  show(state) {
    if (this.#state?.matchId !== state.matchId) this.#askToResign(false);  // a question about another match
    this.#state = state;
    this.#ui.root.hidden = false;
    this.#ui.root.dataset.matchId = state.matchId;
    this.#ui.root.dataset.game = state.game;
    this.#renderTitle();
    this.#renderPlayers();
    this.#renderBoard();
    this.#renderStatus();
    this.#renderButtons();
    this.#renderMoves();
    this.#renderClocks();
    this.#syncTicker();
  }

  /** Draws the board from the state again: after a refused move, it takes back what the board showed. */
  redrawBoard() {
    if (this.#state) this.#renderBoard();
  }

  hide() {
    this.#askToResign(false);
    this.#state = null;
    this.#board?.destroy();
    this.#board = null;
    this.#boardGame = null;
    this.#syncTicker();
    this.#ui.root.hidden = true;
    delete this.#ui.root.dataset.matchId;
  }

  // ---- parts ------------------------------------------------------------------------------------------------

  #renderTitle() {
    const { info } = this.#state;
    this.#ui.title.textContent =
      `${info.game} · ${timeControlText(info.timeControl)} · ${info.rated ? 'rated' : 'casual'} · #${info.matchId}`;
  }

  /** Seat 0 sits at the bottom unless this viewer plays another seat: your own side is always nearest you. */
  #bottomSeat() {
    return this.#state.yourSeat > 0 ? this.#state.yourSeat : 0;
  }

  #renderPlayers() {
    const state = this.#state;
    const bottom = this.#bottomSeat();
    const seats = state.info.players.map((_, seat) => seat);
    const top = seats.find((seat) => seat !== bottom) ?? 1;
    this.#clocks = [];
    const panel = (seat) => (seat === undefined ? [] : [this.#playerPanel(seat)]);
    this.#ui.bottom.replaceChildren(...panel(bottom));
    this.#ui.top.replaceChildren(...panel(seats.includes(top) ? top : undefined));
    this.#ui.others.replaceChildren(...seats.filter((s) => s !== bottom && s !== top).map((s) => this.#playerPanel(s)));
  }

  #playerPanel(seat) {
    const state = this.#state;
    const player = state.info.players[seat];
    const free = isFreeSeat(player);
    const name = free ? (player.invited.length ? `invited: ${player.invited.join(', ')}` : 'free seat') : player.username;
    const clock = make('span', { className: 'clock', dataset: { testid: `clock-${seat}`, seat } });
    clock.hidden = !state.hasClock;
    this.#clocks.push({ seat, element: clock });
    return make('div', {
      className: 'player',
      dataset: {
        testid: `player-${seat}`, seat,
        toMove: state.active && state.info.toMove === seat ? 'true' : undefined,
        you: seat === state.yourSeat ? 'true' : undefined,
      },
    },
    make('span', { className: `seat-mark seat-${seat}`, textContent: seatName(state.game, seat) }),
    make('span', { className: 'player-name', textContent: name, dataset: { testid: `player-name-${seat}` } }),
    player.bot ? make('span', { className: 'tag', textContent: 'bot' }) : null,
    player.rating > 0 ? make('span', { className: 'rating', textContent: `(${player.rating})` }) : null,
    seat === state.yourSeat ? make('span', { className: 'tag', textContent: 'you' }) : null,
    clock);
  }

  #renderBoard() {
    const state = this.#state;
    const Board = BOARDS[state.game];
    if (!Board) {
      this.#board?.destroy();
      this.#board = null;
      this.#boardGame = state.game;
      this.#ui.board.replaceChildren(make('pre', { className: 'raw-view', textContent: state.view }));
      return;
    }
    if (this.#boardGame !== state.game || !this.#board) {
      this.#board?.destroy();
      this.#board = new Board(this.#ui.board, { onMove: (move) => this.#onMove(move) });
      this.#boardGame = state.game;
    }
    this.#board.update({
      view: state.view,
      legalMoves: state.legalMoves,
      flipped: this.#bottomSeat() === 1,
      lastMove: state.lastMove,
      interactive: state.myTurn && state.legalMoves.length > 0,
    });
  }

  #renderStatus() {
    const state = this.#state;
    const { info } = state;
    this.#ui.status.textContent = state.statusText();
    Object.assign(this.#ui.status.dataset, {
      status: info.status,
      toMove: String(info.toMove),
      yourTurn: String(state.myTurn),
    });
    if (state.over) {
      this.#ui.status.dataset.winner = String(info.result.winner);
      this.#ui.status.dataset.reason = info.result.reason;
    } else {
      delete this.#ui.status.dataset.winner;
      delete this.#ui.status.dataset.reason;
    }
    let verdict = '';
    if (state.over && state.isPlayer && info.status === 'FINISHED') {
      verdict = info.result.winner < 0 ? 'Draw' : info.result.winner === state.yourSeat ? 'You won' : 'You lost';
    }
    this.#ui.result.textContent = verdict;
    this.#ui.result.hidden = !verdict;
  }

  #askToResign(asking) {
    const { confirm, buttons } = this.#ui;
    confirm.root.hidden = !asking;
    buttons.resign.setAttribute('aria-expanded', String(asking));
    if (asking) confirm.no.focus();  // Enter by reflex keeps the game going
  }

  #renderButtons() {
    const permitted = this.#state.permitted;
    if (!permitted.resign) this.#askToResign(false);  // the game ended, or the seat changed, meanwhile
    for (const [name, button] of Object.entries(this.#ui.buttons)) {
      button.disabled = !permitted[name];
      // Answering a draw and joining only matter now and then: hide them rather than grey them out.
      if (name === 'acceptDraw' || name === 'declineDraw' || name === 'join') button.hidden = !permitted[name];
    }
    this.#ui.buttons.abort.textContent = this.#state.info.status === 'OPEN' ? 'Cancel match' : 'Abort';
  }

  // Full moves per line for two seats ("1. f3 e5"); a game that starts with the second seat opens with "…".
  #renderMoves() {
    const { moves, info } = this.#state;
    const list = this.#ui.moves;
    const twoSeats = info.players.length === 2;
    const rows = [];
    let row = null;
    for (const move of moves) {
      if (!row || !twoSeats || move.seat === 0) {
        row = make('li', { className: 'move-row' },
          make('span', { className: 'move-number', textContent: `${rows.length + 1}.` }));
        rows.push(row);
        if (twoSeats && move.seat === 1) row.append(make('span', { className: 'move placeholder', textContent: '…' }));
      }
      row.append(make('span', {
        className: 'move',
        textContent: move.display || move.move,
        title: move.move,
        dataset: { ply: move.ply, seat: move.seat },
      }));
    }
    list.replaceChildren(...rows);
    list.scrollTop = list.scrollHeight;
  }

  #renderClocks() {
    if (!this.#state) return;
    const now = performance.now();
    const running = this.#state.runningSeat;
    for (const { seat, element } of this.#clocks) {
      const left = this.#state.clockAt(seat, now);
      element.textContent = formatClock(left);
      element.dataset.running = String(seat === running);
      element.dataset.low = String(left < TENTHS_BELOW_MS);
    }
  }

  #syncTicker() {
    const wanted = this.#state !== null && this.#state.runningSeat >= 0;
    if (wanted && !this.#ticker) {
      this.#ticker = setInterval(() => this.#renderClocks(), CLOCK_TICK_MS);
    } else if (!wanted && this.#ticker) {
      clearInterval(this.#ticker);
      this.#ticker = null;
    }
  }
}
