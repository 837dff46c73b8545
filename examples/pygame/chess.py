#!/usr/bin/env python3
"""Chess on the Guildhall Python SDK: click a piece, then its square, to move. The server checks every move (the
squares you may click come from its list of legal moves), keeps the clocks and stores the match, so a match
survives closing the window: resume it with --match ID.

    python3 examples/pygame/chess.py --vs bot             # against the server's bot
    python3 examples/pygame/chess.py --vs anyone          # join someone's open match, or open one and wait
    python3 examples/pygame/chess.py --match 42           # resume (or watch) match 42

Keys: R resign, D offer or accept a draw, A abort (before both have moved). Each move is also printed.
"""

from __future__ import annotations

import time

import game_shell  # first: it finds the SDK in the source tree and quiets pygame's greeting
import pygame
from game_shell import BACKGROUND, DIM, TEXT, WARN, guildhall

SQUARE = 64
ORIGIN = (20, 20)
SIZE = (860, 600)
LIGHT, DARK = (238, 217, 181), (181, 136, 99)
SELECTED, LAST_MOVE, TARGET = (246, 246, 105), (205, 210, 106), (90, 130, 80)
GLYPHS = dict(zip("kqrbnp", "♚♛♜♝♞♟"))  # the solid set, drawn in either colour
KEYS = {pygame.K_r: guildhall.MatchAction.RESIGN, pygame.K_a: guildhall.MatchAction.ABORT}


def board_from_fen(fen: str) -> dict[str, str]:
    """Square ("e4") -> piece letter (upper case white) from a FEN's first field."""
    board = {}
    for rank_index, row in enumerate(fen.split(" ")[0].split("/")):
        file = 0
        for char in row:
            if char.isdigit():
                file += int(char)
            else:
                board["abcdefgh"[file] + str(8 - rank_index)] = char
                file += 1
    return board


def clock_text(ms: float) -> str:
    seconds = max(0, int(ms // 1000))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Chess:
    def __init__(self, args) -> None:
        self.args = args
        self.session = game_shell.Session(args, self.on_online)
        self.snapshot: guildhall.MatchSnapshot | None = None
        self.received_at = 0.0           # monotonic time of the newest info: running clocks count from it
        self.selected: str | None = None
        self.message = "finding a match…"

    @property
    def client(self) -> guildhall.Client:
        return self.session.client

    def on_online(self) -> None:
        if self.snapshot is not None:     # a new client after the SDK gave up: open the match again
            self.client.matches.open(self.snapshot.info.match_id, callback=self.got_snapshot)
        elif self.args.match:
            self.client.matches.open(self.args.match, callback=self.got_snapshot)
        elif self.args.vs == "bot":
            self.create(bot=True)
        else:
            self.client.matches.list_open("chess", callback=self.found_open)

    def create(self, bot: bool = False) -> None:
        minutes, _, increment = self.args.clock.partition("+")
        self.client.matches.create("chess", bot=bot, seat=guildhall.SeatChoice.FIRST if bot else guildhall.SeatChoice.ANY,
                                   initial_ms=int(float(minutes) * 60_000), increment_ms=int(increment or 0) * 1000,
                                   callback=self.got_snapshot)

    def found_open(self, done) -> None:
        me = self.client.me.username
        others = [m for m in (done.result() if not done.exception() else ()) if all(p.username != me for p in m.players)]
        if others:
            self.client.matches.join(others[0].match_id, callback=self.got_snapshot)
        else:
            self.create()

    def got_snapshot(self, done) -> None:
        if done.exception():
            self.message = f"refused: {game_shell.describe(done.exception())}"
            return
        self.set_snapshot(done.result())
        print(f"match {self.snapshot.info.match_id}: seat {self.snapshot.your_seat}, "
              f"{self.snapshot.info.status.name.lower()}, ply {self.snapshot.info.ply}", flush=True)

    def set_snapshot(self, snapshot: guildhall.MatchSnapshot) -> None:
        self.snapshot, self.received_at = snapshot, time.monotonic()
        self.message = self.describe_state()

    def handle(self, event) -> None:
        if isinstance(event, guildhall.MatchResumed):
            self.set_snapshot(event.snapshot)
            for move in event.missed_moves:
                print(f"missed move {move.ply}: {move.display}", flush=True)
        elif isinstance(event, guildhall.MatchEvent) and self.snapshot and event.info.match_id == self.snapshot.info.match_id:
            moves = self.snapshot.moves + ((event.move,) if event.move else ())
            self.set_snapshot(guildhall.MatchSnapshot(event.info, self.snapshot.your_seat, event.view or self.snapshot.view,
                                                      moves, event.legal_moves))
            if event.move:
                print(f"move {event.move.ply}: {event.move.display}", flush=True)
            if event.kind == guildhall.MatchEventKind.DRAW_OFFERED:
                self.message = "a draw is offered: D accepts"

    def describe_state(self) -> str:
        info = self.snapshot.info
        if info.status == guildhall.MatchStatus.OPEN:
            return f"waiting for an opponent (match {info.match_id})"
        if info.status in (guildhall.MatchStatus.FINISHED, guildhall.MatchStatus.ABORTED):
            winner = info.result.winner
            who = "draw" if winner < 0 else ("you win" if winner == self.snapshot.your_seat else "you lose")
            return f"game over: {who} ({info.result.reason})"
        return "your move" if info.to_move == self.snapshot.your_seat else "their move"

    def flipped(self) -> bool:
        return bool(self.snapshot) and self.snapshot.your_seat == 1

    def square_at(self, x: int, y: int) -> str | None:
        file, rank = (x - ORIGIN[0]) // SQUARE, (y - ORIGIN[1]) // SQUARE
        if not (0 <= file < 8 and 0 <= rank < 8):
            return None
        return "abcdefgh"[7 - file] + str(rank + 1) if self.flipped() else "abcdefgh"[file] + str(8 - rank)

    def square_rect(self, square: str) -> pygame.Rect:
        file, rank = "abcdefgh".index(square[0]), int(square[1])
        column, row = (7 - file, rank - 1) if self.flipped() else (file, 8 - rank)
        return pygame.Rect(ORIGIN[0] + column * SQUARE, ORIGIN[1] + row * SQUARE, SQUARE, SQUARE)

    def on_click(self, position) -> None:
        square = self.square_at(*position)
        if square is None or self.snapshot is None:
            return
        legal = self.snapshot.legal_moves
        if self.selected:
            choices = [m for m in legal if m.startswith(self.selected + square)]
            if choices:
                move = next((m for m in choices if m.endswith("q")), choices[0])  # promotion: a queen
                info = self.snapshot.info
                self.client.matches.move(info.match_id, move, info.ply, callback=self.moved)
                self.selected = None
                return
        self.selected = square if any(m.startswith(square) for m in legal) else None

    def moved(self, done) -> None:
        if done.exception():
            self.message = f"move refused: {game_shell.describe(done.exception())}"

    def on_key(self, key: int) -> None:
        if self.snapshot is None:
            return
        action = KEYS.get(key)
        if key == pygame.K_d:
            offered = self.snapshot.info.draw_offered_by
            action = guildhall.MatchAction.ACCEPT_DRAW if offered not in (-1, self.snapshot.your_seat) \
                else guildhall.MatchAction.OFFER_DRAW
        if action is not None:
            self.client.matches.act(self.snapshot.info.match_id, action, callback=self.got_snapshot)

    def draw(self, screen, font, pieces) -> None:
        screen.fill(BACKGROUND)
        board = board_from_fen(self.snapshot.view) if self.snapshot else {}
        last = self.snapshot.moves[-1].move if self.snapshot and self.snapshot.moves else ""
        targets = {m[2:4] for m in self.snapshot.legal_moves if self.selected and m.startswith(self.selected)} \
            if self.snapshot else set()
        for file in "abcdefgh":
            for rank in range(1, 9):
                square = file + str(rank)
                rect = self.square_rect(square)
                colour = LIGHT if ("abcdefgh".index(file) + rank) % 2 else DARK
                if square == self.selected:
                    colour = SELECTED
                elif square in (last[0:2], last[2:4]):
                    colour = LAST_MOVE
                pygame.draw.rect(screen, colour, rect)
                if square in targets:
                    pygame.draw.circle(screen, TARGET, rect.center, 9)
                if square in board:
                    self.draw_piece(screen, pieces, board[square], rect)
        self.draw_panel(screen, font)

    @staticmethod
    def draw_piece(screen, pieces, letter: str, rect: pygame.Rect) -> None:
        white = letter.isupper()
        glyph = GLYPHS[letter.lower()]
        outline = pieces.render(glyph, True, (20, 20, 20) if white else (230, 230, 230))
        body = pieces.render(glyph, True, (250, 250, 250) if white else (20, 20, 20))
        at = body.get_rect(center=rect.center)
        for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            screen.blit(outline, at.move(dx, dy))
        screen.blit(body, at)

    def draw_panel(self, screen, font) -> None:
        x = ORIGIN[0] + 8 * SQUARE + 24
        screen.blit(font.render(self.message, True, TEXT), (x, 20))
        if not self.snapshot:
            return
        info = self.snapshot.info
        for seat in (1, 0) if not self.flipped() else (0, 1):
            player = info.players[seat] if seat < len(info.players) else guildhall.Player()
            left = info.clock_ms[seat] if seat < len(info.clock_ms) else 0
            if info.clock_running and info.to_move == seat:
                left -= (time.monotonic() - self.received_at) * 1000
            clock = clock_text(left) if info.time_control.initial_ms else ""
            name = player.username or "(free seat)"
            row = 60 if seat == (0 if self.flipped() else 1) else 100
            screen.blit(font.render(f"{'white' if seat == 0 else 'black'}: {name}  {clock}", True,
                                    WARN if info.to_move == seat else DIM), (x, row))
        for row, move in enumerate(self.snapshot.moves[-16:]):
            screen.blit(font.render(f"{move.ply:3}. {move.display}", True, DIM), (x, 150 + row * 20))
        screen.blit(font.render(f"match {info.match_id}", True, DIM), (x, 480))
        screen.blit(font.render("R resign   D draw   A abort", True, DIM), (x, 504))


def main() -> None:
    def add_arguments(parser) -> None:
        parser.add_argument("--vs", choices=("bot", "anyone"), default="bot", help="who to play (default: bot)")
        parser.add_argument("--match", type=int, default=0, help="resume or watch this match instead")
        parser.add_argument("--clock", default="10+5", help="minutes+increment seconds for a new match (0: none)")
    args = game_shell.parse_args(__doc__.splitlines()[0], add_arguments)
    screen = game_shell.open_window(SIZE, "Guildhall chess")
    font, small, pieces = game_shell.load_font(16), game_shell.load_font(14), game_shell.load_font(48)
    chess, hooks, clock = Chess(args), game_shell.TestHooks(args), pygame.time.Clock()
    running = True
    while running and not hooks.time_is_up():
        hooks.feed(chess.session.online and chess.snapshot is not None)
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                running = False
            elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
                chess.on_click(event.pos)
            elif event.type == pygame.KEYDOWN:
                chess.on_key(event.key)
        network_events = chess.client.poll()
        chess.session.update(network_events)
        for update in network_events:
            chess.handle(update)
        chess.draw(screen, font, pieces)
        game_shell.draw_status(screen, small, chess.session)
        pygame.display.flip()
        clock.tick(30)
    hooks.finish(screen)
    chess.client.close()
    pygame.quit()


if __name__ == "__main__":
    main()
