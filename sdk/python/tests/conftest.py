"""Fixtures for the SDK's tests: a real `guildhall serve` ($GUILDHALL_BINARY, else <repo>/build/guildhall) on free
loopback ports with a temporary data folder; it can be killed (-9 or SIGTERM) and restarted on the same ports and
data. No mocks: every test talks to the server process.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Awaitable, Iterator, TypeVar

import pytest

SDK_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = SDK_DIR.parent.parent
sys.path.insert(0, str(SDK_DIR))

import guildhall  # noqa: E402

T = TypeVar("T")
READY_WITHIN_S = 20.0
STEP_S = 15.0      # generous: logins and connects under load (2 cores, 3 helpers, ctest -j2)
TEST_SETTINGS = ["auth.logins_per_ip_per_minute=0"]  # every test logs in from 127.0.0.1
_unique = itertools.count()


def run(awaitable: Awaitable[T], timeout_s: float = 60.0) -> T:
    """Runs a coroutine to completion on a fresh loop, bounded so that a hang fails the test instead of ctest."""
    async def bounded() -> T:
        return await asyncio.wait_for(awaitable, timeout_s)
    return asyncio.run(bounded())


def unique(prefix: str) -> str:
    """A name no other test (or run against the same data) used: prefixes are short, so it fits 32 chars."""
    return f"{prefix}{os.getpid() % 100000}x{next(_unique)}"


def fast_options(**changes: Any) -> guildhall.ClientOptions:
    """Options for tests: generous connect and request timeouts, quick reconnection without jitter."""
    options = guildhall.ClientOptions(connect_timeout_s=STEP_S, request_timeout_s=STEP_S, login_timeout_s=STEP_S)
    options.reconnect.initial_delay_s = 0.3
    options.reconnect.max_delay_s = 2.0
    options.reconnect.jitter = 0.0
    options.reconnect.max_attempts = 40
    for name, value in changes.items():
        setattr(options, name, value)
    return options


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One server process; start() again after stop()/kill() to restart it on the same ports and data."""

    def __init__(self, binary: str, data_dir: str, extra: list[str], tls: tuple[str, str] | None = None,
                 shards: int | None = None) -> None:
        """`extra`: settings as "name=value" (--set); `shards`: network threads (None: the server's default)."""
        self.binary = binary
        self.data_dir = data_dir
        self.extra = extra
        self.tls = tls
        self.shards = shards
        self.http_port = free_port()
        self.tcp_port = free_port()
        self.udp_port = free_port(socket.SOCK_DGRAM)
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = Path(data_dir) / "server.log"

    def url(self, kind: str, port: int | None = None) -> str:
        """The URL of `kind` ("websocket", "tcp", "udp"), naming the HTTP port (not the usual offset here). `port`
        replaces target_port(kind): a proxy, a closed or silent port. WebSocket and TCP then connect there while
        logging in at the server; UDP logs in and fetches its connect tokens there (the token names the server's UDP
        address), so a proxy in front of the HTTP port gates a UDP client's connections."""
        if kind == "websocket":
            return f"{'wss' if self.tls else 'ws'}://127.0.0.1:{port or self.http_port}/ws?http_port={self.http_port}"
        if kind == "udp":
            return f"{'udps' if self.tls else 'udp'}://127.0.0.1:{self.udp_port}?http_port={port or self.http_port}"
        return f"{'tls' if self.tls else 'tcp'}://127.0.0.1:{port or self.tcp_port}?http_port={self.http_port}"

    def target_port(self, kind: str) -> int:
        """The TCP port a connection of `kind` goes through first: what a Proxy stands in front of."""
        return self.tcp_port if kind == "tcp" else self.http_port

    def start(self) -> None:
        args = [self.binary, "serve", "--data", self.data_dir, "--host", "127.0.0.1",
                "--http-port", str(self.http_port), "--tcp-port", str(self.tcp_port),
                "--udp-port", str(self.udp_port), "--log-level", "warn"]
        if self.shards is not None:
            args += ["--shards", str(self.shards)]
        settings = TEST_SETTINGS + self.extra
        if self.tls:
            settings += [f"tls.cert_file={self.tls[0]}", f"tls.key_file={self.tls[1]}"]
        for setting in settings:
            args += ["--set", setting]
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log)
        log.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        """The server prints its addresses once it listens; the UDP line comes last."""
        assert self.process is not None and self.process.stdout is not None
        deadline = time.monotonic() + READY_WITHIN_S
        while time.monotonic() < deadline:
            line = self.process.stdout.readline().decode(errors="replace")
            if not line:
                raise RuntimeError(f"server exited before it was ready:\n{self.log()}")
            if line.strip().startswith("UDP:"):
                return
        raise RuntimeError(f"server not ready within {READY_WITHIN_S} s:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-8000:]
        except OSError:
            return ""

    def signal(self, number: int) -> int:
        """Sends `number` and waits for the exit; returns the exit status."""
        assert self.process is not None
        self.process.send_signal(number)
        status = self.process.wait(30)
        if self.process.stdout:
            self.process.stdout.close()
        self.process = None
        return status

    def kill(self) -> None:
        self.signal(signal.SIGKILL)

    def stop(self) -> None:
        if self.process is not None:
            self.signal(signal.SIGTERM)


def _binary() -> str:
    binary = os.environ.get("GUILDHALL_BINARY") or str(REPO_DIR / "build" / "guildhall")
    if not Path(binary).exists():
        pytest.skip(f"no server binary at {binary}: build it or set GUILDHALL_BINARY")
    return binary


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """A server shared by a module's tests."""
    with tempfile.TemporaryDirectory(prefix="guildhall-py-") as data:
        running = Server(_binary(), data, [])
        running.start()
        yield running
        running.stop()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "server_settings(*settings, shards=None): the test's own_server runs with "
                                       "these name=value settings (and network threads)")


@pytest.fixture()
def own_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """A server for one test that kills or stops it, with the settings of the test's server_settings mark."""
    marker = request.node.get_closest_marker("server_settings")
    with tempfile.TemporaryDirectory(prefix="guildhall-py-") as data:
        running = Server(_binary(), data, list(marker.args) if marker else [],
                         shards=marker.kwargs.get("shards") if marker else None)
        running.start()
        yield running
        if running.process is not None:
            running.kill()


TRANSPORTS = ("websocket", "tcp", "udp")
#: For faults only a byte stream has (a proxy that freezes or cuts it, a listener that never answers):
#: `@over_streams` runs a test taking `transport` over these only.
STREAM_TRANSPORTS = ("websocket", "tcp")
over_streams = pytest.mark.parametrize("transport", STREAM_TRANSPORTS)


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    """Runs a test over WebSocket, TCP and UDP."""
    return str(request.param)


async def guest(url: str, options: guildhall.ClientOptions | None = None) -> guildhall.AsyncClient:
    """A connected guest client with a fresh device id."""
    client = guildhall.AsyncClient(url, options or fast_options())
    await client.login_guest(unique("device-"))
    await client.connect()
    return client


async def next_of(client: guildhall.AsyncClient, event_type: type, timeout_s: float = STEP_S, **fields: Any) -> Any:
    """The next event of `event_type` whose attributes equal `fields` (others are skipped)."""
    def wanted(event: Any) -> bool:
        return isinstance(event, event_type) and all(getattr(event, k) == v for k, v in fields.items())
    return await client.wait_for(wanted, timeout_s)


class Proxy:
    """A TCP proxy on the test's loop in front of a server port, to break a connection in ways a server never
    does: freeze() holds everything the server sends (a silent peer), cut() resets every connection, and while
    `accepting` is False new connections are reset at once (a client kept away until the test lets it in)."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self.frozen = False
        self.accepting = True
        self.connections = 0
        self._writers: list[asyncio.StreamWriter] = []
        self._server: asyncio.base_events.Server | None = None

    async def start(self) -> "Proxy":
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.accepting:
            writer.transport.abort()
            return
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.transport.abort()
            return
        self._writers += [writer, up_writer]
        await asyncio.gather(self._pipe(reader, up_writer, False), self._pipe(up_reader, writer, True),
                             return_exceptions=True)

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, from_server: bool) -> None:
        try:
            while data := await source.read(65536):
                while from_server and self.frozen:
                    await asyncio.sleep(0.02)
                sink.write(data)
                await sink.drain()
        finally:
            sink.transport.abort()

    def freeze(self) -> None:
        self.frozen = True

    def cut(self) -> None:
        self.frozen = False
        for writer in self._writers:
            writer.transport.abort()
        self._writers.clear()

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
