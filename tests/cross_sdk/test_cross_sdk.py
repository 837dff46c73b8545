"""A Python, a TypeScript and a C++ client of one server, in one `dots` room and one chat channel, see the same
events: the same chat lines (ids, senders, texts, order), the same "said" room events (seq, payload) and, for
every snapshot tick at least two of them decoded, the same entities (ids, types, values).

The Python client is this process (sdk/python); the others are child processes printing JSON lines (see
cpp_peer.cpp's header): $CROSS_SDK_CPP_PEER (default <repo>/build/tests/cross_sdk/cross_sdk_cpp_peer) and
ts_peer.mjs under $GUILDHALL_NODE (default: node on PATH) on the built sdk/js/dist. The server is
$GUILDHALL_BINARY (default <repo>/build/guildhall). ctest runs it as `cross_sdk`.
"""

from __future__ import annotations

import asyncio
import difflib
import importlib.util
import json
import math
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest

HERE = Path(__file__).resolve().parent
REPO_DIR = HERE.parent.parent


def _load_sdk_fixtures() -> Any:
    """sdk/python/tests/conftest.py as a module of its own name (its Server, options and helpers; it also puts
    sdk/python on sys.path so that `guildhall` imports)."""
    spec = importlib.util.spec_from_file_location("guildhall_sdk_fixtures",
                                                  REPO_DIR / "sdk" / "python" / "tests" / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fixtures = _load_sdk_fixtures()
import guildhall  # noqa: E402  (on sys.path once the fixtures are loaded)

CHANNEL = "cross"
STEP_S = 30.0           # a login, a connect, a peer's start-up (node loading the SDK) under ctest -j2 load
EXCHANGE_S = 60.0       # everything said reaching everyone
KEY_RIGHT = 8           # src/games/dots/dots.hpp kDotsRight: the input is one byte of arrow-key bits
KEY_NONE = 0
MOVE_UNITS = 4.0        # how far the Python dot moves: well inside the dots' view radius (40), so all see all
SHARED_TICKS_WANTED = 10  # ticks decoded by all three after the move, so that the comparison has teeth
VALUE_TOLERANCE = 1e-9


@dataclass
class Seen:
    """What one peer printed, parsed."""
    name: str
    username: str = ""
    chat: list[tuple[int, str, str]] = field(default_factory=list)          # (id, from, text)
    said: list[tuple[int, str]] = field(default_factory=list)               # (seq, payload)
    snapshots: dict[int, list[Any]] = field(default_factory=dict)           # tick -> [[id, type, [values]]]
    errors: list[str] = field(default_factory=list)

    def take(self, line: dict[str, Any]) -> None:
        kind = line.get("event")
        if kind == "ready":
            self.username = str(line["username"])
        elif kind == "chat":
            self.chat.append((int(line["id"]), str(line["from"]), str(line["text"])))
        elif kind == "room" and line.get("type") == "said":
            self.said.append((int(line["seq"]), str(line["payload"])))
        elif kind == "snapshot":
            self.snapshots[int(line["tick"])] = line["entities"]
        elif kind == "error":
            self.errors.append(str(line["message"]))


class Peer:
    """A child process speaking the peers' JSON lines; its lines are parsed into `seen` as they arrive."""

    def __init__(self, name: str, argv: list[str], log_dir: Path) -> None:
        self.seen = Seen(name)
        self.argv = argv
        self.stderr_path = log_dir / f"{name}.stderr"
        self.process: asyncio.subprocess.Process | None = None
        self.reader: asyncio.Task[None] | None = None
        self.changed = asyncio.Event()

    async def start(self) -> None:
        with open(self.stderr_path, "wb") as stderr:
            self.process = await asyncio.create_subprocess_exec(
                *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=stderr,
                limit=1 << 20)
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        while line := await self.process.stdout.readline():
            try:
                self.seen.take(json.loads(line))
            except (ValueError, KeyError, TypeError) as error:
                self.seen.errors.append(f"unreadable line {line[:200]!r}: {error}")
            self.changed.set()
        self.changed.set()

    @property
    def exited(self) -> bool:
        return self.reader is not None and self.reader.done()

    def tell(self, command: str) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(f"{command}\n".encode())

    async def stop(self) -> None:
        if self.process is None:
            return
        if self.process.returncode is None:
            try:
                self.tell("quit")
                await asyncio.wait_for(self.process.wait(), 10)
            except (OSError, asyncio.TimeoutError):
                self.process.kill()
                await self.process.wait()
        if self.reader is not None:
            await self.reader

    def stderr(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


class PythonPeer:
    """The Python SDK's client, recording its events in the peers' shape."""

    def __init__(self, url: str) -> None:
        self.seen = Seen("python")
        self.changed = asyncio.Event()
        self.room_id = 0
        self.seat = 0
        self.client = guildhall.AsyncClient(url, fixtures.fast_options(), event_sink=self._on_event)

    def _on_event(self, event: guildhall.Event) -> None:
        if isinstance(event, guildhall.ChatMessageReceived) and event.message.channel == CHANNEL:
            m = event.message
            self.seen.take({"event": "chat", "id": m.message_id, "from": m.from_username, "text": m.text})
        elif isinstance(event, guildhall.RoomEvent) and event.member is None:
            self.seen.take({"event": "room", "seq": event.seq, "type": event.type, "payload": event.payload})
        elif isinstance(event, guildhall.RoomSnapshot) and event.room_id == self.room_id and event.entities:
            rows = [[i, s.type, [float(v) for v in s.values.values()]] for i, s in sorted(event.entities.items())]
            self.seen.take({"event": "snapshot", "tick": event.tick, "entities": rows})
        elif isinstance(event, guildhall.ErrorEvent):
            self.seen.errors.append(repr(event))
        self.changed.set()

    async def start(self) -> None:
        await self.client.login_guest(fixtures.unique("cross-py-"))
        me = await self.client.connect()
        self.seen.username = me.username
        await self.client.chat.join(CHANNEL)
        joined = await self.client.rooms.create("dots", {"mode": "cross"})
        self.room_id = joined.room.room_id
        self.seat = joined.you.seat


async def wait_until(peers: list[Any], done: Callable[[Seen], bool], what: str, timeout_s: float) -> None:
    """Waits until done(peer.seen) holds for every peer, woken by each line a peer prints."""
    async def all_done() -> None:
        while True:
            for peer in peers:
                peer.changed.clear()
            missing = [p for p in peers if not done(p.seen)]
            if not missing:
                return
            dead = [p for p in missing if isinstance(p, Peer) and p.exited]
            if dead:
                raise AssertionError(f"{dead[0].seen.name} exited before {what}: errors {dead[0].seen.errors}\n"
                                     f"{dead[0].stderr()}")
            waits = [asyncio.create_task(p.changed.wait()) for p in missing]
            try:
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in waits:
                    task.cancel()
    try:
        await asyncio.wait_for(all_done(), timeout_s)
    except asyncio.TimeoutError:
        states = "\n".join(f"  {p.seen.name}: chat {p.seen.chat}, said {p.seen.said}, "
                           f"{len(p.seen.snapshots)} snapshots, errors {p.seen.errors}" for p in peers)
        raise AssertionError(f"not within {timeout_s} s: {what}\n{states}") from None


def dot_x(entities: list[Any], dot_id: int) -> float | None:
    return next((float(values[0]) for i, _, values in entities if i == dot_id), None)


def same_entities(a: list[Any], b: list[Any]) -> bool:
    if [(i, t, len(v)) for i, t, v in a] != [(i, t, len(v)) for i, t, v in b]:
        return False
    return all(math.isclose(float(x), float(y), rel_tol=0, abs_tol=VALUE_TOLERANCE)
               for (_, _, va), (_, _, vb) in zip(a, b) for x, y in zip(va, vb))


def list_diff(name: str, seen: list[Seen], pick: Callable[[Seen], list[Any]]) -> str:
    """A unified diff of each peer's list against the first peer's, or "" when all are equal."""
    base = [repr(x) for x in pick(seen[0])]
    out = []
    for other in seen[1:]:
        lines = [repr(x) for x in pick(other)]
        if lines != base:
            out += difflib.unified_diff(base, lines, f"{seen[0].name} {name}", f"{other.name} {name}", lineterm="")
    return "\n".join(out)


def snapshot_diff(seen: list[Seen]) -> tuple[str, int]:
    """The ticks on which two peers decoded different entities (a readable report) and how many ticks were
    compared (decoded by at least two)."""
    ticks = sorted(set().union(*(s.snapshots for s in seen)))
    compared, report = 0, []
    for tick in ticks:
        have = [s for s in seen if tick in s.snapshots]
        if len(have) < 2:
            continue
        compared += 1
        if all(same_entities(have[0].snapshots[tick], other.snapshots[tick]) for other in have[1:]):
            continue
        if len(report) < 5:
            report.append(f"tick {tick}:\n" + "\n".join(f"  {s.name:>6}: {s.snapshots[tick]}" for s in have))
    return "\n".join(report), compared


def peer_paths() -> tuple[str, str, str]:
    """The server, the C++ peer and node; skips when one is not built or installed."""
    binary = os.environ.get("GUILDHALL_BINARY") or str(REPO_DIR / "build" / "guildhall")
    cpp = (os.environ.get("CROSS_SDK_CPP_PEER")
           or str(REPO_DIR / "build" / "tests" / "cross_sdk" / "cross_sdk_cpp_peer"))
    node = os.environ.get("GUILDHALL_NODE") or shutil.which("node") or ""
    for what, path in [("server", binary), ("C++ peer", cpp), ("node", node),
                       ("TypeScript SDK build", str(REPO_DIR / "sdk" / "js" / "dist" / "index.js"))]:
        if not path or not Path(path).exists():
            pytest.skip(f"no {what} at {path!r}: build it, or set GUILDHALL_BINARY, CROSS_SDK_CPP_PEER, "
                        "GUILDHALL_NODE")
    return binary, cpp, node


async def say_everything(py: PythonPeer, cpp_peer: Peer, ts_peer: Peer) -> None:
    """Each client says one chat line and one room "say"; waits until all three saw all six."""
    await py.client.chat.send(CHANNEL, "hello from python")
    await py.client.rooms.send_message("say", "python says")
    cpp_peer.tell("say hello from c++")
    cpp_peer.tell("room-say c++ says")
    ts_peer.tell("say hello from typescript")
    ts_peer.tell("room-say typescript says")
    await wait_until([py, cpp_peer, ts_peer], lambda s: len(s.chat) >= 3 and len(s.said) >= 3,
                     "3 chat lines and 3 'said'", EXCHANGE_S)


async def move_python_dot(py: PythonPeer, everyone: list[Any]) -> None:
    """Moves the Python dot right by MOVE_UNITS and stops it; waits until every peer decoded
    SHARED_TICKS_WANTED ticks after the stop, and checks each saw the dot moved."""
    dot_id = 100 + py.seat  # src/games/dots/dots.cpp: a dot's id is 100 + its seat
    await wait_until([py], lambda s: bool(s.snapshots), "a first snapshot", STEP_S)
    start = py.seen.snapshots[max(py.seen.snapshots)]
    start_x = dot_x(start, dot_id)
    assert start_x is not None, f"the Python dot {dot_id} is not in its own snapshot {start}"

    def moved(s: Seen) -> bool:
        x = dot_x(s.snapshots[max(s.snapshots)], dot_id) if s.snapshots else None
        return x is not None and x >= start_x + MOVE_UNITS
    py.client.rooms.send_input(bytes([KEY_RIGHT]))
    await wait_until([py], moved, f"the Python dot moved {MOVE_UNITS} units", EXCHANGE_S)
    py.client.rooms.send_input(bytes([KEY_NONE]))
    stop_tick = max(py.seen.snapshots)
    await wait_until(everyone, lambda s: len([t for t in s.snapshots if t > stop_tick]) >= SHARED_TICKS_WANTED,
                     f"{SHARED_TICKS_WANTED} ticks after the stop", EXCHANGE_S)
    for peer in everyone:
        assert any((x := dot_x(e, dot_id)) is not None and x >= start_x + MOVE_UNITS
                   for e in peer.seen.snapshots.values()), f"{peer.seen.name} never saw the dot move"


async def exchange(server: Any, cpp: str, node: str, log_dir: Path) -> list[Seen]:
    """Runs the three clients through the script; returns what each saw."""
    py = PythonPeer(server.url("websocket"))
    peers: list[Peer] = []
    try:
        await asyncio.wait_for(py.start(), STEP_S)
        ws_url = f"ws://127.0.0.1:{server.http_port}/ws"
        for name, program in [("cpp", [cpp]), ("ts", [node, str(HERE / "ts_peer.mjs")])]:
            device = fixtures.unique(f"cross-{name}-")
            peers.append(Peer(name, program + [ws_url, device, CHANNEL, str(py.room_id)], log_dir))
        for peer in peers:
            await peer.start()
        await wait_until(peers, lambda s: bool(s.username), "both peers are ready", STEP_S)
        await say_everything(py, peers[0], peers[1])
        await move_python_dot(py, [py, *peers])
    finally:
        for peer in peers:
            await peer.stop()
        await py.client.close()
    return [py.seen] + [p.seen for p in peers]


def test_three_sdks_see_the_same_room_and_channel() -> None:
    binary, cpp, node = peer_paths()
    with tempfile.TemporaryDirectory(prefix="guildhall-cross-") as data:
        server = fixtures.Server(binary, data, [])
        server.start()
        try:
            seen = fixtures.run(exchange(server, cpp, node, Path(data)), timeout_s=240)
        except BaseException:
            print(f"server log:\n{server.log()}")
            raise
        finally:
            server.stop()

    for s in seen:
        assert not s.errors, f"{s.name} reported errors: {s.errors}"
    chat_diff = list_diff("chat", seen, lambda s: s.chat)
    said_diff = list_diff("said", seen, lambda s: s.said)
    ticks_diff, compared = snapshot_diff(seen)
    assert not chat_diff, f"the peers saw different chat lines:\n{chat_diff}"
    assert not said_diff, f"the peers saw different 'said' events:\n{said_diff}"
    assert not ticks_diff, f"the peers decoded different entities:\n{ticks_diff}"

    usernames = {s.name: s.username for s in seen}
    assert sorted((f, t) for _, f, t in seen[0].chat) == sorted([
        (usernames["python"], "hello from python"), (usernames["cpp"], "hello from c++"),
        (usernames["ts"], "hello from typescript")])
    ids = [i for i, _, _ in seen[0].chat]
    assert ids == sorted(set(ids)), f"chat ids not increasing: {ids}"
    assert sorted(p for _, p in seen[0].said) == ["c++ says", "python says", "typescript says"]
    seqs = [q for q, _ in seen[0].said]
    assert seqs == sorted(set(seqs)), f"'said' seqs not increasing: {seqs}"
    shared = set.intersection(*(set(s.snapshots) for s in seen))
    print(f"{compared} ticks compared, {len(shared)} decoded by all three; "
          + ", ".join(f"{s.name} {len(s.snapshots)} snapshots" for s in seen))
    assert len(shared) >= SHARED_TICKS_WANTED, f"only {len(shared)} ticks decoded by all three ({compared} by two)"
