#!/usr/bin/env python3
"""A chat window on the Guildhall Python SDK: channels on the left, the conversation in the middle (with its
history), who is here on the right, a typing box at the bottom.

    python3 examples/pygame/chat.py                       # a guest, on `make run`'s server
    python3 examples/pygame/chat.py --user ada --password secret-pass --channel lobby --channel dev

Type and press Enter to talk; /join NAME, /leave, /dm USER TEXT. Click a channel (or press Tab) to switch to it.
Every line received is also printed, which is how the tests read what the window shows.
"""

from __future__ import annotations

import time

import game_shell  # first: it finds the SDK in the source tree and quiets pygame's greeting
import pygame
from game_shell import BACKGROUND, DIM, TEXT, WARN, guildhall

SIZE = (900, 600)
SIDE_WIDTH = 170
LINE_HEIGHT = 20
MAX_LINES = 500            # kept per channel: older lines scroll away for good
MAX_INPUT = 500            # characters; the server's own cap is larger
HISTORY_LINES = 50


class Chat:
    def __init__(self, args) -> None:
        self.args = args
        self.session = game_shell.Session(args, self.on_online)
        # channel -> message id -> (when, in Unix ms, line, colour); the server's ids keep history from repeating
        self.lines: dict[str, dict[int, tuple[int, str, tuple[int, int, int]]]] = {}
        self.members: dict[str, set[str]] = {}
        self.current = args.channel[0]
        self.typed = ""
        self._local_id = -1    # system lines (errors, presence) have ids of their own, below the server's

    @property
    def client(self) -> guildhall.Client:
        return self.session.client

    @property
    def ready(self) -> bool:
        """Online and in the channel shown: what is typed now can be sent."""
        return self.session.online and (self.current in self.members or self.current.startswith("@"))

    def on_online(self) -> None:
        for channel in self.args.channel:
            self.join(channel)

    def join(self, channel: str) -> None:
        self.lines.setdefault(channel, {})
        self.current = channel
        self.client.chat.join(channel, callback=lambda done: self.joined(channel, done))

    def joined(self, channel: str, done) -> None:
        if done.exception():
            self.note(channel, f"cannot join: {game_shell.describe(done.exception())}", WARN)
            return
        self.members[channel] = {m.username for m in done.result().members}
        self.load_history(channel)

    def load_history(self, channel: str) -> None:
        """Also after a reconnection: what was said meanwhile fills in by message id, nothing twice."""
        def loaded(done) -> None:
            if not done.exception():
                for message in done.result().messages:
                    self.add(message, echo=False)
        self.client.chat.history(channel, limit=HISTORY_LINES, callback=loaded)

    def add(self, message: guildhall.ChatMessage, echo: bool = True) -> None:
        direct = bool(message.to_username)
        me = self.client.me.username if self.client.me else ""
        channel = message.channel or "@" + (message.to_username if message.from_username == me else message.from_username)
        lines = self.lines.setdefault(channel, {})
        if message.message_id in lines:
            return
        lines[message.message_id] = (message.sent_at_ms, f"{message.from_username}: {message.text}",
                                     DIM if direct else TEXT)
        if echo:
            print(f"[{channel}] {message.from_username}: {message.text}", flush=True)
        while len(lines) > MAX_LINES:
            del lines[min(lines, key=lambda key: lines[key][0])]

    def note(self, channel: str, text: str, colour=DIM) -> None:
        self.lines.setdefault(channel, {})[self._local_id] = (int(time.time() * 1000), f"* {text}", colour)
        self._local_id -= 1
        print(f"[{channel}] * {text}", flush=True)

    def handle(self, event) -> None:
        if isinstance(event, guildhall.ChatMessageReceived):
            self.add(event.message)
        elif isinstance(event, guildhall.Presence):
            names = self.members.setdefault(event.channel, set())
            arrived = event.kind in (guildhall.PresenceKind.JOINED, guildhall.PresenceKind.ONLINE)
            (names.add if arrived else names.discard)(event.member.username)
            self.note(event.channel, f"{event.member.username} {event.kind.name.lower()}")
        elif isinstance(event, guildhall.Reconnected):
            for channel in self.members:
                self.load_history(channel)

    def submit(self) -> None:
        if not self.ready:
            return       # what was typed stays in the box until the channel is joined
        text, self.typed = self.typed.strip(), ""
        if not text:
            return
        command, _, rest = text.partition(" ")
        if command == "/join" and rest:
            self.join(rest.strip())
        elif command == "/leave" and not self.current.startswith("@"):
            self.client.chat.leave(self.current)
            self.lines.pop(self.current, None)
            self.members.pop(self.current, None)
            self.current = next(iter(self.lines), self.args.channel[0])
        elif command == "/dm" and " " in rest:
            user, _, body = rest.partition(" ")
            self.current = "@" + user
            self.client.chat.send_direct(user, body, callback=self.sent_to(self.current))
        elif self.current.startswith("@"):
            self.client.chat.send_direct(self.current[1:], text, callback=self.sent_to(self.current))
        else:
            self.client.chat.send(self.current, text, callback=self.sent_to(self.current))

    def sent_to(self, channel: str):
        """A refusal becomes a line in the conversation (the callback runs inside poll(), on this thread)."""
        def done(future) -> None:
            if future.exception():
                self.note(channel, f"not sent: {game_shell.describe(future.exception())}", WARN)
        return done

    def on_key(self, event) -> None:
        if event.type == pygame.TEXTINPUT:
            self.typed = (self.typed + event.text)[:MAX_INPUT]
        elif event.key == pygame.K_RETURN:
            self.submit()
        elif event.key == pygame.K_BACKSPACE:
            self.typed = self.typed[:-1]
        elif event.key == pygame.K_TAB and self.lines:
            names = list(self.lines)
            self.current = names[(names.index(self.current) + 1) % len(names)] if self.current in names else names[0]

    def on_click(self, position) -> None:
        x, y = position
        row = (y - 36) // LINE_HEIGHT
        if x < SIDE_WIDTH and 0 <= row < len(self.lines):
            self.current = list(self.lines)[row]

    def draw(self, screen, font, small) -> None:
        screen.fill(BACKGROUND)
        width, height = screen.get_size()
        screen.blit(font.render("Channels", True, DIM), (10, 10))
        for row, name in enumerate(self.lines):
            colour = TEXT if name == self.current else DIM
            screen.blit(font.render(("> " if name == self.current else "  ") + name, True, colour),
                        (10, 36 + row * LINE_HEIGHT))
        screen.blit(font.render(f"Here ({len(self.members.get(self.current, ()))})", True, DIM),
                    (width - SIDE_WIDTH + 10, 10))
        for row, name in enumerate(sorted(self.members.get(self.current, ()))):
            screen.blit(small.render(name, True, TEXT), (width - SIDE_WIDTH + 10, 36 + row * LINE_HEIGHT))
        bottom = height - 64
        ordered = sorted(self.lines.get(self.current, {}).values())
        shown = (bottom - 40) // LINE_HEIGHT
        for row, (_, text, colour) in enumerate(ordered[-shown:]):
            screen.blit(small.render(text, True, colour), (SIDE_WIDTH + 10, 10 + row * LINE_HEIGHT))
        box = pygame.Rect(SIDE_WIDTH, bottom, width - 2 * SIDE_WIDTH, 30)
        pygame.draw.rect(screen, (44, 48, 58), box, border_radius=4)
        cursor = "|" if pygame.time.get_ticks() // 500 % 2 else ""
        screen.blit(font.render(f"{self.current} > {self.typed}{cursor}", True, TEXT), (box.x + 8, box.y + 5))


def main() -> None:
    args = game_shell.parse_args(__doc__.splitlines()[0], lambda parser: parser.add_argument(
        "--channel", action="append", help="a channel to join (default: lobby); may repeat"))
    args.channel = args.channel or ["lobby"]
    screen = game_shell.open_window(SIZE, "Guildhall chat")
    font, small = game_shell.load_font(16), game_shell.load_font(14)
    chat, hooks, clock = Chat(args), game_shell.TestHooks(args), pygame.time.Clock()
    running = True
    while running and not hooks.time_is_up():
        hooks.feed(chat.ready)
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                running = False
            elif event.type in (pygame.TEXTINPUT, pygame.KEYDOWN):
                chat.on_key(event)
            elif event.type == pygame.MOUSEBUTTONDOWN:
                chat.on_click(event.pos)
        network_events = chat.client.poll()
        chat.session.update(network_events)
        for update in network_events:
            chat.handle(update)
        chat.draw(screen, font, small)
        game_shell.draw_status(screen, small, chat.session)
        pygame.display.flip()
        clock.tick(30)
    hooks.finish(screen)
    chat.client.close()
    pygame.quit()


if __name__ == "__main__":
    main()
