"""What the three Pygame examples share, so each of them is only its game: the command line, logging in and
connecting without ever blocking a frame (and retrying, with a message on screen, while the server is down), the
connection's status line, fonts, and the hooks the tests use to run an example headless (--type, --click,
--hold, --screenshot, --quit-after).

The examples run from the source tree with nothing installed: this module puts sdk/python on the path when the
guildhall package is not installed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Callable

try:
    import guildhall
except ImportError:  # running from the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sdk" / "python"))
    import guildhall

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")   # pygame greets on import otherwise
import pygame  # noqa: E402

RETRY_AFTER_S = 3.0      # the first connection is not retried by the SDK (it fails at once): we retry it here
FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"   # Debian's fonts-dejavu-core: has chess glyphs
BACKGROUND = (24, 26, 32)
TEXT = (225, 228, 235)
DIM = (140, 146, 160)
WARN = (240, 190, 90)


def parse_args(description: str, add_arguments: Callable[[argparse.ArgumentParser], None] | None = None
               ) -> argparse.Namespace:
    """The flags every example takes, plus the example's own."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--server", default="ws://127.0.0.1:9700/ws",
                        help="ws://, wss://, tcp://, tls://, udp:// or udps:// (default: make run's server)")
    parser.add_argument("--user", help="log in as this user (registered on first use); default: a guest")
    parser.add_argument("--password", default="", help="the user's password")
    parser.add_argument("--device-file", default=str(Path.home() / ".guildhall-pygame-device"),
                        help="where a guest's device id is kept between runs")
    parser.add_argument("--type", action="append", default=[], metavar="TEXT",
                        help="(tests) type TEXT and Enter once online, as keystrokes; may repeat")
    parser.add_argument("--click", action="append", default=[], metavar="X,Y",
                        help="(tests) click the window at X,Y once online; may repeat")
    parser.add_argument("--hold", action="append", default=[], metavar="KEY=SECONDS",
                        help="(tests) hold KEY (a pygame key name: d, space) for SECONDS once online; may repeat")
    parser.add_argument("--screenshot", help="(tests) save the window to this PNG file when the program ends")
    parser.add_argument("--quit-after", type=float, default=0.0, metavar="SECONDS",
                        help="(tests) end the program after this long")
    if add_arguments:
        add_arguments(parser)
    return parser.parse_args()


def open_window(size: tuple[int, int], caption: str) -> pygame.Surface:
    """Only what the examples use: the display and fonts (pygame.init() would also open audio, for nothing)."""
    pygame.display.init()
    pygame.font.init()
    pygame.display.set_caption(caption)
    return pygame.display.set_mode(size)


def load_font(size: int) -> pygame.font.Font:
    return pygame.font.Font(FONT_FILE if os.path.exists(FONT_FILE) else None, size)


def describe(error: BaseException) -> str:
    """One line a player can read: no traceback."""
    if isinstance(error, guildhall.ConnectionRefused):
        return "the server is not running (connection refused)"
    if isinstance(error, guildhall.TimedOut):
        return "the server does not answer (timed out)"
    if isinstance(error, guildhall.ServerClosed):
        return f"the server closed the connection ({error.code} {error.reason})".replace(" )", ")")
    if isinstance(error, guildhall.AuthFailed):
        return f"login refused: {error}"
    return str(error) or type(error).__name__


def _device_id(path: str) -> str:
    """A guest keeps its account between runs through a device id stored in a file."""
    try:
        return Path(path).read_text().strip()
    except OSError:
        device = f"pygame-{uuid.uuid4().hex}"
        try:
            Path(path).write_text(device)
        except OSError:
            pass  # a read-only home: a new guest each run
        return device


class Session:
    """Logs in and connects, one step per frame, never waiting: call update() once a frame. Until the server is
    reachable it retries every RETRY_AFTER_S; once connected, the SDK reconnects by itself and this only keeps the
    status line. `on_online` runs (on the frame's thread) after each first connection: the example's setup."""

    def __init__(self, args: argparse.Namespace, on_online: Callable[[], None]) -> None:
        self.args = args
        self.client = guildhall.Client(args.server)
        self._status = ""
        self.status = f"connecting to {args.server}…"
        self.online = False
        self._on_online = on_online
        self._step: Future[Any] | None = None
        self._stage = "login"
        self._retry_at = 0.0
        self._registering = False

    @property
    def status(self) -> str:
        return self._status

    @status.setter
    def status(self, text: str) -> None:
        """Shown on screen, and printed when it changes: what the tests (and a terminal) read."""
        if text != self._status:
            self._status = text
            print(f"status: {text}", flush=True)

    def _start_login(self) -> Future[Any]:
        if not self.args.user:
            return self.client.login_guest(_device_id(self.args.device_file))
        if self._registering:
            return self.client.register(self.args.user, self.args.password)
        return self.client.login(self.args.user, self.args.password)

    def update(self, events: list[Any]) -> None:
        """Advances login and connection, and follows the connection's events (the example handles the rest)."""
        for event in events:
            self._follow(event)
        now = time.monotonic()
        if self._step is None and not self.online and now >= self._retry_at:
            self._step = self._start_login() if self._stage == "login" else self.client.connect()
        if self._step is None or not self._step.done():
            return
        step, self._step = self._step, None
        error = step.exception()
        if error is None:
            self._advance()
        elif isinstance(error, guildhall.AuthFailed) and self.args.user and not self._registering:
            self._registering = True       # no such user yet: register it (a wrong password fails there)
        else:
            self._stage = "login"
            self._retry_at = now + RETRY_AFTER_S
            self.status = f"cannot connect: {describe(error)}; retrying in {RETRY_AFTER_S:.0f} s"

    def _advance(self) -> None:
        if self._stage == "login":
            self._stage = "connect"
            return
        self.online = True
        self.status = f"online as {self.client.me.username}"
        self._on_online()

    def _follow(self, event: Any) -> None:
        if isinstance(event, guildhall.Disconnected):
            self.status = f"connection lost: {describe(event.error)}"
        elif isinstance(event, guildhall.Reconnecting):
            self.status = f"{describe(event.error)}; reconnecting in {event.delay_s:.0f} s (attempt {event.attempt})"
        elif isinstance(event, guildhall.Reconnected):
            self.status = f"back online as {self.client.me.username}"
        elif isinstance(event, guildhall.GaveUp):
            # The SDK stopped trying: start again from the login, as on the first run.
            self.online = False
            self._stage = "login"
            self._retry_at = time.monotonic() + RETRY_AFTER_S
            self.client.close()
            self.client = guildhall.Client(self.args.server)
            self.status = f"{describe(event.error)}; retrying in {RETRY_AFTER_S:.0f} s"


class TestHooks:
    """--type, --click, --hold, --screenshot and --quit-after: how the tests run an example for a scripted session.
    Typed text, clicks and held keys go through pygame's event queue, so the example's own input handling is what
    the test drives."""

    def __init__(self, args: argparse.Namespace) -> None:
        self._lines = list(args.type)
        self._clicks = [tuple(int(v) for v in click.split(",")) for click in args.click]
        self._holds = [(pygame.key.key_code(key), float(seconds))
                       for key, _, seconds in (hold.partition("=") for hold in args.hold)]
        self._releases: list[tuple[float, int]] = []
        self._screenshot = args.screenshot
        self._deadline = time.monotonic() + args.quit_after if args.quit_after > 0 else None
        self._next_at = 0.0

    def feed(self, online: bool) -> None:
        """Posts the next scripted line, click or key, one every half second once online."""
        now = time.monotonic()
        for release in [r for r in self._releases if r[0] <= now]:
            self._releases.remove(release)
            pygame.event.post(pygame.event.Event(pygame.KEYUP, key=release[1], mod=0))
        if not online or now < self._next_at:
            return
        self._next_at = now + 0.5
        if self._lines:
            pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=self._lines.pop(0)))
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r"))
        elif self._clicks:
            x, y = self._clicks.pop(0)
            pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, y), button=1))
        elif self._holds:
            key, seconds = self._holds.pop(0)
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=""))
            self._releases.append((now + seconds, key))

    def time_is_up(self) -> bool:
        return self._deadline is not None and time.monotonic() >= self._deadline

    def finish(self, screen: pygame.Surface) -> None:
        if self._screenshot:
            pygame.image.save(screen, self._screenshot)


def draw_status(screen: pygame.Surface, font: pygame.font.Font, session: Session) -> None:
    """The connection's state along the bottom edge: amber while not online."""
    colour = DIM if session.online and session.client.connected else WARN
    text = font.render(session.status, True, colour)
    screen.blit(text, (8, screen.get_height() - text.get_height() - 4))
