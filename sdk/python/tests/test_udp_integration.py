"""The Python UDP transport against a real server process ($GUILDHALL_BINARY, default <repo>/build/guildhall):
guest login over HTTP, connect token, handshake, Authenticated, Ping/Pong on the reliable channel, an arena room's
snapshots on the unreliable channel decoded with guildhall.snapshot, inputs that move the player, a closed port
(ConnectTimeout) and a server stopped with SIGTERM (ServerClosed 3001 with its reason)."""
from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

import pytest

SDK = Path(__file__).resolve().parents[1]
REPO = SDK.parents[1]
sys.path.insert(0, str(SDK))

from guildhall.snapshot import SnapshotDecoder  # noqa: E402
from guildhall.udp import (  # noqa: E402
    ConnectToken,
    UdpOptions,
    connect_udp,
    fetch_connect_token,
    open_transport,
    open_udp,
)
from guildhall.errors import (  # noqa: E402
    AuthFailed,
    ConnectionLost,
    ConnectionRefused,
    ConnectTimeout,
    ServerClosed,
)

BINARY = Path(os.environ.get("GUILDHALL_BINARY", REPO / "build" / "guildhall"))
PROTO = REPO / "src" / "wire" / "proto" / "guildhall" / "v1" / "guildhall.proto"
# Generous under load (three helpers share two cores): each wait is for an event, these only bound it.
WAIT_S = 15.0

pytestmark = pytest.mark.skipif(not BINARY.exists(), reason=f"no server binary at {BINARY} (set GUILDHALL_BINARY)")


@pytest.fixture(scope="module")
def pb() -> ModuleType:
    """The SDK's generated protocol classes: one descriptor pool holds one guildhall.proto."""
    from guildhall._proto import pb as generated
    return generated


def free_port(kind: int) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclasses.dataclass
class Server:
    process: subprocess.Popen[bytes]
    http: str
    udp_port: int

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(data: Path, *settings: str) -> Server:
    http, tcp, udp = free_port(socket.SOCK_STREAM), free_port(socket.SOCK_STREAM), free_port(socket.SOCK_DGRAM)
    process = subprocess.Popen([str(BINARY), "serve", "--host", "127.0.0.1", "--data", str(data), "--http-port",
                                str(http), "--tcp-port", str(tcp), "--udp-port", str(udp), "--log-level", "warn",
                                "--shards", "1", *(a for setting in settings for a in ("--set", setting))],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http}"
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        assert process.poll() is None, f"server exited with {process.returncode}"
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=1) as answer:
                if answer.status == 200:
                    return Server(process, base, udp)
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("server not ready in time")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("data"))
    yield running
    running.stop()


def guest_token(http: str) -> str:
    body = json.dumps({"device_id": "py-udp-" + uuid.uuid4().hex[:16]}).encode()
    request = urllib.request.Request(http + "/v1/auth/guest", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=WAIT_S) as answer:
        return str(json.loads(answer.read())["token"])


def envelope(pb: ModuleType, **fields: Any) -> bytes:
    message = pb.Envelope(**fields)
    return bytes(message.SerializeToString())


async def next_of(pb: ModuleType, transport: Any, body: str) -> Any:
    """The next Envelope whose body is `body`, skipping others (snapshots, events)."""
    async def loop() -> Any:
        while True:
            message = pb.Envelope.FromString(await transport.receive())
            if message.WhichOneof("body") == body:
                return message
    return await asyncio.wait_for(loop(), WAIT_S)


def test_handshake_authenticates_and_ping_pong_on_the_reliable_channel(server: Server, pb: ModuleType) -> None:
    async def run() -> None:
        transport = await connect_udp(server.http, guest_token(server.http), UdpOptions(connect_timeout_s=WAIT_S))
        try:
            first = pb.Envelope.FromString(await asyncio.wait_for(transport.receive(), WAIT_S))
            assert first.WhichOneof("body") == "authenticated"
            assert first.authenticated.username.startswith("guest-")
            for cid in range(1, 6):
                await transport.send(envelope(pb, cid=cid, ping=pb.Ping(client_time_ms=cid * 1000)))
                pong = await next_of(pb, transport, "pong")
                assert pong.cid == cid and pong.pong.client_time_ms == cid * 1000 and pong.pong.server_time_ms > 0
            assert transport.bytes_received > 0 and transport.kind == "udp"
            assert transport.rtt_ms < 1000
        finally:
            await transport.close()
        with pytest.raises(ConnectionLost):
            await transport.receive()
    asyncio.run(run())


def test_arena_snapshots_arrive_unreliable_and_inputs_move_the_player(server: Server, pb: ModuleType) -> None:
    async def run() -> None:
        transport = await connect_udp(server.http, guest_token(server.http), UdpOptions(connect_timeout_s=WAIT_S))
        try:
            await next_of(pb, transport, "authenticated")
            await transport.send(envelope(pb, cid=1, join_room=pb.JoinRoom(type="arena")))
            joined = (await next_of(pb, transport, "room_joined")).room_joined
            decoder = SnapshotDecoder(joined.schema_json)
            decode_s = 0.0
            room_id, seat = joined.room.room_id, joined.you.seat
            first_x: float | None = None
            last_x = 0.0
            sequence = 0
            deltas = 0
            ticks: list[int] = []
            deadline = time.monotonic() + WAIT_S
            while time.monotonic() < deadline and (len(ticks) < 40 or deltas == 0):
                snapshot = (await next_of(pb, transport, "room_snapshot")).room_snapshot
                assert snapshot.room_id == room_id
                started = time.perf_counter()
                world = decoder.decode(snapshot.tick, snapshot.baseline_tick, snapshot.data)
                decode_s += time.perf_counter() - started
                deltas += snapshot.baseline_tick != 0
                ticks.append(snapshot.tick)
                mine = [e for e in world.values() if e.type_name == "player" and e["seat"] == seat and not e["bot"]]
                assert len(mine) == 1, "our fighter is in every snapshot"
                if first_x is None:
                    first_x = mine[0]["x"]
                last_x = mine[0]["x"]
                # Hold "right": one input per snapshot, each also sent in the next two messages.
                sequence += 1
                frames = [pb.InputFrame(sequence=s, client_tick=snapshot.tick + 2, view_tick=snapshot.tick,
                                        data=bytes([0x08, 0, 0])) for s in range(max(1, sequence - 2), sequence + 1)]
                await transport.send_unreliable(envelope(pb, room_input=pb.RoomInput(
                    room_id=room_id, ack_tick=snapshot.tick, inputs=frames)))
            assert len(ticks) >= 40 and ticks == sorted(ticks), "unreliable snapshots are delivered newest-only"
            assert transport.unreliable_received >= len(ticks), "snapshots rode the unreliable channel"
            assert deltas > 0, "acknowledged ticks make the server send deltas"
            per_decode_us = decode_s / len(ticks) * 1e6
            print(f"\n{len(ticks)} arena snapshots ({len(world)} entities): {per_decode_us:.0f} µs per decode")
            assert first_x is not None and last_x != first_x, "inputs on the unreliable channel moved the fighter"
        finally:
            await transport.close()
    asyncio.run(run())


def test_a_closed_port_is_a_connect_timeout(server: Server) -> None:
    token = fetch_connect_token(server.http, guest_token(server.http))
    nobody = dataclasses.replace(token, server_addresses=(("127.0.0.1", free_port(socket.SOCK_DGRAM)),))

    async def run() -> float:
        started = time.monotonic()
        with pytest.raises(ConnectTimeout):
            await open_udp("udp://127.0.0.1", nobody, UdpOptions(connect_timeout_s=1.0))
        return time.monotonic() - started
    assert 0.9 <= asyncio.run(run()) < 5.0


def test_sigterm_gives_server_closed_with_the_reason(tmp_path: Path, pb: ModuleType) -> None:
    own = start_server(tmp_path / "data")
    try:
        async def run() -> ServerClosed:
            transport = await connect_udp(own.http, guest_token(own.http), UdpOptions(connect_timeout_s=WAIT_S))
            await next_of(pb, transport, "authenticated")
            own.process.send_signal(signal.SIGTERM)
            with pytest.raises(ServerClosed) as closed:
                await asyncio.wait_for(_drain(transport), WAIT_S)
            return closed.value
        closed = asyncio.run(run())
        assert closed.code == 3001 and closed.reason
    finally:
        own.stop()


async def _drain(transport: Any) -> None:
    while True:
        await transport.receive()


def test_connect_token_answer_is_checked(server: Server) -> None:
    token = fetch_connect_token(server.http, guest_token(server.http))
    assert isinstance(token, ConnectToken)
    assert token.server_addresses[0] == ("127.0.0.1", server.udp_port)
    assert 1 <= token.timeout_seconds <= 120 and token.expire_timestamp > token.create_timestamp


def test_a_wrong_access_token_gets_auth_failed(server: Server) -> None:
    with pytest.raises(AuthFailed) as refused:
        fetch_connect_token(server.http, "not-a-token")
    assert refused.value.code in ("AUTH_FAILED", "TOKEN_EXPIRED")


def test_the_sdk_opener_connects_a_udp_url(server: Server, pb: ModuleType) -> None:
    from types import SimpleNamespace
    url = SimpleNamespace(kind="udp", host="127.0.0.1", port=server.udp_port, http_base=server.http)
    options = SimpleNamespace(connect_timeout_s=WAIT_S, login_timeout_s=WAIT_S)

    async def run() -> None:
        transport = await open_transport(url, options, guest_token(server.http))
        try:
            assert transport.authenticated_by_transport
            await next_of(pb, transport, "authenticated")
        finally:
            await transport.close()
    asyncio.run(run())


def test_a_full_server_denies_and_that_is_connection_refused(tmp_path: Path, pb: ModuleType) -> None:
    own = start_server(tmp_path / "data", "udp.max_clients_per_shard=1")
    try:
        async def run() -> None:
            first = await connect_udp(own.http, guest_token(own.http), UdpOptions(connect_timeout_s=WAIT_S))
            try:
                await next_of(pb, first, "authenticated")
                with pytest.raises(ConnectionRefused):
                    await connect_udp(own.http, guest_token(own.http), UdpOptions(connect_timeout_s=WAIT_S))
            finally:
                await first.close()
        asyncio.run(run())
    finally:
        own.stop()


def test_a_killed_server_is_connection_lost_after_the_token_timeout(tmp_path: Path, pb: ModuleType) -> None:
    own = start_server(tmp_path / "data", "udp.timeout_s=2")
    try:
        async def run() -> float:
            transport = await connect_udp(own.http, guest_token(own.http), UdpOptions(connect_timeout_s=WAIT_S))
            await next_of(pb, transport, "authenticated")
            own.process.kill()
            started = time.monotonic()
            with pytest.raises(ConnectionLost):
                await asyncio.wait_for(_drain(transport), WAIT_S)
            return time.monotonic() - started
        assert 1.5 < asyncio.run(run()) < 5.0
    finally:
        own.stop()
