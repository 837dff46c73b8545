"""The Pygame examples (examples/pygame/) run headless (SDL's dummy video driver) for a scripted session each
against a real server, with their own input handling driven through pygame's event queue (--type, --click,
--hold), and each leaves a screenshot in $GUILDHALL_ARTIFACTS (default: a temporary folder). What they print is
what they saw: the tests read it line by line.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples" / "pygame"
ARTIFACTS = Path(os.environ.get("GUILDHALL_ARTIFACTS") or tempfile.mkdtemp(prefix="guildhall-pygame-"))
LINE_WITHIN_S = 30.0     # generous: logins hash passwords, and ctest runs other tests beside these

# The SDK's test fixtures: one real server launcher for every Python test, not a copy.
_spec = importlib.util.spec_from_file_location("sdk_test_fixtures", REPO / "sdk" / "python" / "tests" / "conftest.py")
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)
guildhall = fixtures.guildhall
pygame = pytest.importorskip("pygame")


class Example:
    """One example program, its stdout read line by line on a thread so a test can wait for a line."""

    def __init__(self, script: str, *args: str, home: Path) -> None:
        environment = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", HOME=str(home),
                           PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen([sys.executable, str(EXAMPLES / script), *args], env=environment,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, pattern: str, timeout_s: float = LINE_WITHIN_S) -> re.Match[str]:
        """The first line (from the start of the output) matching `pattern`."""
        for line in self.lines:
            if match := re.search(pattern, line):
                return match
        deadline = time.monotonic() + timeout_s
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if match := re.search(pattern, line):
                return match
        raise AssertionError(f"no line matching {pattern!r} within {timeout_s} s; output:\n" + "\n".join(self.lines))

    def finish(self, timeout_s: float = 60.0) -> str:
        """Waits for the exit (the example's --quit-after); returns stderr, which must hold no traceback."""
        _, errors = self.process.communicate(timeout=timeout_s)
        while (line := self._queue.get(timeout=5)) is not None:
            self.lines.append(line)
        assert self.process.returncode == 0, f"exit {self.process.returncode}:\n{errors}"
        assert "Traceback" not in errors, errors
        return errors


def check_screenshot(path: Path, size: tuple[int, int]) -> None:
    """The window as it was at the end: the right size, and not a blank fill."""
    image = pygame.image.load(str(path))
    assert image.get_size() == size
    colours = {tuple(image.get_at((x, y))) for x in range(0, size[0], 16) for y in range(0, size[1], 16)}
    assert len(colours) > 3, f"{path} looks blank"


@pytest.fixture()
def server() -> Iterator[fixtures.Server]:
    with tempfile.TemporaryDirectory(prefix="guildhall-pygame-") as data:
        running = fixtures.Server(fixtures._binary(), data, [])
        running.start()
        yield running
        running.stop()


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    return tmp_path


def test_chat_talks_and_listens_in_a_channel(server: fixtures.Server, home: Path) -> None:
    screenshot = ARTIFACTS / "pygame-chat.png"
    url = server.url("websocket")
    bob = fixtures.unique("bob")

    async def listen_and_answer() -> None:
        client = guildhall.AsyncClient(url, fixtures.fast_options())
        await client.login_guest(bob)
        await client.connect()
        await client.chat.join("lobby")
        chat = Example("chat.py", "--server", url, "--user", "ada", "--password", "a-long-password",
                       "--type", "hello from pygame", "--quit-after", "30", "--screenshot", str(screenshot),
                       home=home)
        heard = await fixtures.next_of(client, guildhall.ChatMessageReceived, timeout_s=LINE_WITHIN_S)
        assert (heard.message.from_username, heard.message.text) == ("ada", "hello from pygame")
        await client.chat.send("lobby", "hi ada")
        name = client.me.username
        await client.close()
        await asyncio.to_thread(chat.wait_for, rf"^\[lobby\] {re.escape(name)}: hi ada$")
        await asyncio.to_thread(chat.finish)
        assert "[lobby] ada: hello from pygame" in chat.lines
    fixtures.run(listen_and_answer(), timeout_s=90)
    check_screenshot(screenshot, (900, 600))


def test_chess_moves_against_the_bot_and_resumes_the_match(server: fixtures.Server, home: Path) -> None:
    url = server.url("websocket")
    account = ["--user", "carol", "--password", "a-long-password"]
    # White is at the bottom: e2 and e4 are in the board's fifth column, 64-pixel squares from (20, 20).
    chess = Example("chess.py", "--server", url, *account, "--vs", "bot", "--click", "308,436", "--click", "308,308",
                    "--quit-after", "60", home=home)
    match_id = chess.wait_for(r"^match (\d+): seat 0, active, ply 0$").group(1)
    chess.wait_for(r"^move 1: e4$")
    chess.wait_for(r"^move 2: \S+$", timeout_s=45)   # the bot answered (it thinks slower on a loaded machine)
    chess.process.terminate()                         # the window closed mid-game: the match lives on the server
    chess.process.wait(10)
    screenshot = ARTIFACTS / "pygame-chess.png"
    resumed = Example("chess.py", "--server", url, *account, "--match", match_id, "--quit-after", "15",
                      "--screenshot", str(screenshot), home=home)
    resumed.wait_for(rf"^match {match_id}: seat 0, active, ply [2-9]\d*$")
    resumed.finish()
    check_screenshot(screenshot, (860, 600))


@pytest.mark.parametrize("transport", ["websocket", "udp"])
def test_arena_predicts_the_held_keys_and_draws_the_bots(server: fixtures.Server, home: Path, transport: str) -> None:
    url = server.url(transport) if transport != "udp" else \
        f"udp://127.0.0.1:{server.udp_port}?http_port={server.http_port}"
    # No bots in the first run: nothing can kill the fighter while it walks right for a second and a half.
    walk = Example("arena.py", "--server", url, "--bots", "0", "--hold", "d=1.5", "--quit-after", "8", home=home)
    walk.wait_for(rf"^joined arena room \d+: seat 0, \d+ Hz, over {transport}$")
    start_x = float(walk.wait_for(r"^spawned at \(([\d.]+), [\d.]+\)$").group(1))
    final = walk.wait_for(r"^final: at \(([\d.]+), [\d.]+\), (\d+) snapshots", timeout_s=30)
    walk.finish()
    assert float(final.group(1)) >= min(start_x + 2.0, 47.5), walk.lines   # 6 units/s; the east wall is at 47.5
    assert int(final.group(2)) >= 60, walk.lines                            # 2 s of a 30 Hz room, at least

    screenshot = ARTIFACTS / f"pygame-arena-{transport}.png"
    fight = Example("arena.py", "--server", url, "--bots", "3", "--quit-after", "8", "--screenshot", str(screenshot),
                    home=home)
    final = fight.wait_for(r"^final: .*, (\d+) snapshots", timeout_s=30)
    fight.finish()
    assert int(final.group(1)) >= 60, fight.lines
    check_screenshot(screenshot, (960, 684))


def test_an_example_says_the_server_is_down_and_comes_in_when_it_is_up(home: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="guildhall-pygame-") as data:
        server = fixtures.Server(fixtures._binary(), data, [])     # ports chosen, nothing listening yet
        chat = Example("chat.py", "--server", server.url("websocket"), "--quit-after", "40", home=home)
        try:
            chat.wait_for(r"^status: cannot connect: the server is not running \(connection refused\); retrying")
            server.start()
            chat.wait_for(r"^status: online as guest-")
            server.stop()                                             # SIGTERM: the server says why it closes
            chat.wait_for(r"^status: connection lost: the server closed the connection \(3001")
            server.start()
            chat.wait_for(r"^status: back online as guest-")
        finally:
            chat.process.terminate()
            chat.process.wait(10)
            server.stop()
        assert not any("Traceback" in line for line in chat.lines)


def test_arena_plays_on_in_a_new_room_after_a_server_restart(home: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="guildhall-pygame-") as data:
        server = fixtures.Server(fixtures._binary(), data, [])
        server.start()
        url = f"udp://127.0.0.1:{server.udp_port}?http_port={server.http_port}"
        arena = Example("arena.py", "--server", url, "--bots", "1", "--quit-after", "45", home=home)
        try:
            first = arena.wait_for(r"^joined arena room (\d+): seat 0").group(1)
            arena.wait_for(r"^spawned at ")
            server.stop()               # the room lives in the server's memory: it goes with it
            server.start()
            arena.wait_for(r"^status: back online as guest-")
            second = arena.wait_for(rf"^joined arena room (?!{first}:)(\d+): seat 0").group(1)
            assert second != first
        finally:
            arena.process.terminate()
            arena.process.wait(10)
            server.stop()
        assert not any("Traceback" in line for line in arena.lines)
