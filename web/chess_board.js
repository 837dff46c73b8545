// The chess board: draws a FEN with Unicode pieces, and turns clicks or drags into UCI moves drawn from the
// server's `legalMoves`. It knows no chess rules: what may move where is exactly what the server listed, so the
// board can never offer a move the server would refuse (nor miss one it allows).
//
// Squares carry data-square="e2"; a piece carries data-piece="wP" (colour + FEN letter); destinations of the
// selected piece carry data-hint; the last move's squares carry data-last-move.

import { make } from './dom.js';

const FILES = 'abcdefgh';
const GLYPHS = { k: '♚', q: '♛', r: '♜', b: '♝', n: '♞', p: '♟\uFE0E' };  // FE0E: text, never emoji
const PIECE_NAMES = { k: 'king', q: 'queen', r: 'rook', b: 'bishop', n: 'knight', p: 'pawn' };
const PROMOTIONS = ['q', 'r', 'b', 'n'];
const DRAG_THRESHOLD_PX = 4;  // a press that moves less than this is a click

/** The placement field of a FEN as a Map square -> {color: 'w'|'b', type: 'k'|'q'|...}; side to move. */
export function parseFen(fen) {
  const [placement = '', turn = 'w'] = String(fen).trim().split(/\s+/);
  const pieces = new Map();
  placement.split('/').slice(0, 8).forEach((row, index) => {
    const rank = 8 - index;
    let file = 0;
    for (const ch of row) {
      if (/[1-8]/.test(ch)) {
        file += Number(ch);
      } else if (/[kqrbnp]/i.test(ch) && file < 8) {
        pieces.set(`${FILES[file]}${rank}`, { color: ch === ch.toUpperCase() ? 'w' : 'b', type: ch.toLowerCase() });
        file += 1;
      }
    }
  });
  return { pieces, turn };
}

/** Legal UCI moves grouped by their from-square: Map 'e2' -> [{to: 'e4', promotion: '', uci: 'e2e4'}]. */
function movesByOrigin(legalMoves) {
  const byOrigin = new Map();
  for (const uci of legalMoves) {
    if (uci.length < 4) continue;
    const from = uci.slice(0, 2);
    if (!byOrigin.has(from)) byOrigin.set(from, []);
    byOrigin.get(from).push({ to: uci.slice(2, 4), promotion: uci.slice(4), uci });
  }
  return byOrigin;
}

export class ChessBoard {
  #root;
  #onMove;
  #state = { pieces: new Map(), turn: 'w', legal: new Map(), flipped: false, lastMove: null, check: false };
  #interactive = false;
  #selected = null;     // the square whose piece is selected
  #press = null;        // {from, pointerId, x, y, dragging, ghost, deselectOnRelease}
  #picker = null;       // the promotion chooser, while open

  /** `onMove(uci)` is called with a legal move; the board then shows it until the next update(). */
  constructor(container, { onMove }) {
    this.#onMove = onMove;
    this.#root = make('div', { className: 'chess-board', dataset: { testid: 'chess-board' } });
    this.#root.addEventListener('pointerdown', (e) => this.#onPointerDown(e));
    this.#root.addEventListener('pointermove', (e) => this.#onPointerMove(e));
    this.#root.addEventListener('pointerup', (e) => this.#onPointerUp(e));
    this.#root.addEventListener('pointercancel', () => this.#endPress());
    this.#root.addEventListener('lostpointercapture', () => this.#endPress());
    this.#root.addEventListener('click', (e) => this.#onKeyboardClick(e));
    container.replaceChildren(this.#root);
  }

  /**
   * `view`: FEN; `legalMoves`: UCI; `flipped`: black at the bottom; `lastMove`: {move, display} or null;
   * `interactive`: whether this viewer may move now.
   */
  update({ view, legalMoves, flipped, lastMove, interactive }) {
    const { pieces, turn } = parseFen(view);
    const uci = lastMove?.move ?? '';
    this.#state = {
      pieces,
      turn,
      legal: movesByOrigin(interactive ? legalMoves : []),
      flipped,
      lastMove: uci.length >= 4 ? [uci.slice(0, 2), uci.slice(2, 4)] : null,
      check: /[+#]$/.test(lastMove?.display ?? ''),
    };
    this.#interactive = interactive;
    if (!this.#selected || !this.#state.legal.has(this.#selected)) this.#selected = null;
    if (this.#press && !this.#state.legal.has(this.#press.from)) this.#endPress();
    this.#closePicker();
    this.#render();
  }

  destroy() {
    this.#endPress();
    this.#closePicker();
    this.#root.remove();
  }

  // ---- drawing ------------------------------------------------------------------------------------------------

  #render() {
    const { pieces, flipped, lastMove, check, turn } = this.#state;
    const hints = new Set((this.#state.legal.get(this.#selected) ?? []).map((m) => m.to));
    this.#root.dataset.orientation = flipped ? 'black' : 'white';
    this.#root.dataset.interactive = String(this.#interactive);
    const squares = [];
    for (let row = 0; row < 8; row += 1) {
      for (let col = 0; col < 8; col += 1) {
        const file = flipped ? 7 - col : col;
        const rank = flipped ? row + 1 : 8 - row;
        const name = `${FILES[file]}${rank}`;
        const piece = pieces.get(name);
        const square = make('button', {
          type: 'button',
          className: `square ${(file + rank) % 2 === 0 ? 'light' : 'dark'}`,
          tabIndex: this.#state.legal.has(name) || hints.has(name) ? 0 : -1,
          ariaLabel: piece ? `${name} ${piece.color === 'w' ? 'white' : 'black'} ${PIECE_NAMES[piece.type]}` : name,
          dataset: {
            square: name,
            selected: name === this.#selected ? 'true' : undefined,
            hint: hints.has(name) ? (piece ? 'capture' : 'move') : undefined,
            lastMove: lastMove?.includes(name) ? 'true' : undefined,
            check: check && piece?.type === 'k' && piece.color === turn ? 'true' : undefined,
            movable: this.#state.legal.has(name) ? 'true' : undefined,
          },
        });
        // Coordinates along the bottom rank and the left file.
        if (col === 0) square.append(make('span', { className: 'coord rank', textContent: String(rank) }));
        if (row === 7) square.append(make('span', { className: 'coord file', textContent: FILES[file] }));
        if (piece) square.append(this.#pieceElement(piece));
        squares.push(square);
      }
    }
    this.#root.replaceChildren(...squares);
    if (this.#press?.dragging) this.#squareElement(this.#press.from)?.classList.add('drag-origin');
  }

  #pieceElement(piece) {
    return make('span', {
      className: `piece ${piece.color === 'w' ? 'white' : 'black'}`,
      textContent: GLYPHS[piece.type],
      dataset: { piece: `${piece.color}${piece.type.toUpperCase()}` },
    });
  }

  #squareElement(name) {
    return this.#root.querySelector(`[data-square="${name}"]`);
  }

  #squareAt(clientX, clientY) {
    const hit = document.elementFromPoint(clientX, clientY)?.closest?.('[data-square]');
    return hit && this.#root.contains(hit) ? hit.dataset.square : null;
  }

  // ---- choosing a move ------------------------------------------------------------------------------------------

  #destinations(from) {
    return this.#state.legal.get(from) ?? [];
  }

  #select(square) {
    this.#selected = square;
    this.#render();
  }

  /** Plays from -> to if legal, asking for the promotion piece when several moves share the two squares. */
  #tryMove(from, to) {
    const candidates = this.#destinations(from).filter((m) => m.to === to);
    if (candidates.length === 0) return false;
    this.#selected = null;
    if (candidates.length === 1) {
      this.#play(candidates[0]);
    } else {
      this.#render();
      this.#openPicker(from, to, candidates);
    }
    return true;
  }

  // Shows the move at once; the server's next view (or the owner's update() after a refusal) replaces it.
  #play({ uci, promotion }) {
    const from = uci.slice(0, 2);
    const to = uci.slice(2, 4);
    const moving = this.#state.pieces.get(from);
    this.#state.pieces.delete(from);
    this.#state.pieces.set(to, promotion ? { ...moving, type: promotion } : moving);
    this.#state.legal = new Map();
    this.#state.lastMove = [from, to];
    this.#state.check = false;
    this.#interactive = false;
    this.#selected = null;
    this.#render();
    this.#onMove(uci);
  }

  #openPicker(from, to, candidates) {
    this.#closePicker();
    const color = this.#state.pieces.get(from)?.color ?? 'w';
    const offered = PROMOTIONS.filter((p) => candidates.some((m) => m.promotion === p));
    const choices = offered.map((p) => make('button', {
      type: 'button',
      className: 'promotion-choice',
      title: PIECE_NAMES[p],
      ariaLabel: `promote to ${PIECE_NAMES[p]}`,
      dataset: { promotion: p },
      on: { click: () => this.#play(candidates.find((m) => m.promotion === p)) },
    }, this.#pieceElement({ color, type: p })));
    const cancel = make('button', {
      type: 'button', className: 'link', textContent: 'Cancel',
      on: { click: () => { this.#closePicker(); this.#render(); } },
    });
    this.#picker = make('div', {
      className: 'promotion-picker', role: 'dialog', ariaLabel: `Promote on ${to}`,
      dataset: { testid: 'promotion-picker' },
    }, make('span', { textContent: 'Promote to' }), ...choices, cancel);
    this.#root.append(this.#picker);
    choices[0]?.focus();
  }

  #closePicker() {
    this.#picker?.remove();
    this.#picker = null;
  }

  // ---- pointer: click-to-move and drag-to-move -------------------------------------------------------------

  #onPointerDown(e) {
    if (e.button !== 0 || this.#picker || !this.#interactive) return;
    const square = e.target.closest?.('[data-square]')?.dataset.square;
    if (!square) return;
    if (this.#selected && this.#selected !== square && this.#tryMove(this.#selected, square)) {
      e.preventDefault();
      return;
    }
    if (!this.#state.legal.has(square)) {
      if (this.#selected) this.#select(null);
      return;
    }
    e.preventDefault();  // no text selection, no focus ring flash while dragging
    const deselectOnRelease = this.#selected === square;
    this.#select(square);
    this.#press = { from: square, pointerId: e.pointerId, x: e.clientX, y: e.clientY, dragging: false,
      ghost: null, deselectOnRelease };
    this.#root.setPointerCapture(e.pointerId);
  }

  #onPointerMove(e) {
    const press = this.#press;
    if (!press || e.pointerId !== press.pointerId) return;
    if (!press.dragging) {
      if (Math.hypot(e.clientX - press.x, e.clientY - press.y) < DRAG_THRESHOLD_PX) return;
      press.dragging = true;
      const origin = this.#squareElement(press.from);
      origin?.classList.add('drag-origin');
      const size = origin?.getBoundingClientRect().width ?? 48;
      press.ghost = make('div', { className: 'drag-ghost' }, this.#pieceElement(this.#state.pieces.get(press.from)));
      press.ghost.style.width = press.ghost.style.height = `${size}px`;
      press.ghost.style.fontSize = `${size * 0.8}px`;
      document.body.append(press.ghost);
    }
    const half = press.ghost.offsetWidth / 2;
    press.ghost.style.transform = `translate(${e.clientX - half}px, ${e.clientY - half}px)`;
  }

  #onPointerUp(e) {
    const press = this.#press;
    if (!press || e.pointerId !== press.pointerId) return;
    const { from, dragging, deselectOnRelease } = press;
    this.#endPress();
    if (dragging) {
      const target = this.#squareAt(e.clientX, e.clientY);
      if (target && target !== from && this.#tryMove(from, target)) return;
      this.#render();  // dropped off the board or on an illegal square: the piece goes home, still selected
    } else if (deselectOnRelease) {
      this.#select(null);
    }
  }

  #endPress() {
    const press = this.#press;
    if (!press) return;
    this.#press = null;
    press.ghost?.remove();
    this.#root.querySelector('.drag-origin')?.classList.remove('drag-origin');
    if (this.#root.hasPointerCapture?.(press.pointerId)) this.#root.releasePointerCapture(press.pointerId);
  }

  // Keyboard: Enter or Space on a square selects a piece or plays to a destination (a mouse click has detail > 0
  // and was handled by the pointer events).
  #onKeyboardClick(e) {
    if (e.detail !== 0 || !this.#interactive || this.#picker) return;
    const square = e.target.closest?.('[data-square]')?.dataset.square;
    if (!square) return;
    if (this.#selected && this.#tryMove(this.#selected, square)) return;
    this.#select(this.#state.legal.has(square) && this.#selected !== square ? square : null);
    this.#squareElement(square)?.focus();
  }
}
