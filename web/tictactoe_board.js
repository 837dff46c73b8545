// The tic-tac-toe board: nine buttons (data-cell="0".."8", reading order) drawn from the 9-character view;
// a cell is clickable when the server lists it among `legalMoves`.

import { make } from './dom.js';

const MARKS = { X: 'X', O: 'O' };

export class TictactoeBoard {
  #root;
  #onMove;

  /** `onMove(cell)` is called with the cell's move ("0".."8"). */
  constructor(container, { onMove }) {
    this.#onMove = onMove;
    this.#root = make('div', { className: 'ttt-board', dataset: { testid: 'tictactoe-board' } });
    container.replaceChildren(this.#root);
  }

  update({ view, legalMoves, lastMove, interactive }) {
    const legal = new Set(interactive ? legalMoves : []);
    const cells = Array.from({ length: 9 }, (_, index) => {
      const mark = MARKS[view?.[index]] ?? '';
      const move = String(index);
      return make('button', {
        type: 'button',
        className: 'cell',
        textContent: mark,
        disabled: !legal.has(move),
        ariaLabel: `cell ${index + 1}${mark ? `: ${mark}` : ''}`,
        dataset: { cell: move, mark: mark || undefined, lastMove: lastMove?.move === move ? 'true' : undefined },
        on: { click: () => this.#play(move) },
      });
    });
    this.#root.dataset.interactive = String(interactive);
    this.#root.replaceChildren(...cells);
  }

  destroy() {
    this.#root.remove();
  }

  // Marks the cell at once and locks the board until the owner's next update().
  #play(move) {
    const cells = [...this.#root.children];
    const mine = this.#root.querySelectorAll('[data-mark]').length % 2 === 0 ? 'X' : 'O';
    cells[Number(move)].textContent = mine;
    cells[Number(move)].dataset.mark = mine;
    for (const cell of cells) cell.disabled = true;
    this.#onMove(move);
  }
}
