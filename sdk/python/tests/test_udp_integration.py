"""UDP against a real server (conftest's Server), where it differs from the byte streams: an arena room through the
client (snapshots and inputs on the unreliable channel, the fighter moving, the message layer's round trip and
loss in `network`, on a clean and on a lossy, reordering network), and the transport on its own (cid-matched pings on the reliable channel, the connect token's
checks, a closed port, a full server's denial, a killed server seen as silence for the token's timeout).

Chat, matches, rooms, the game-loop API and the faults that apply run over UDP too, in their own modules
(conftest's `transport` fixture); the fallback to WebSocket is test_udp_fallback.py."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import time
from typing import Any

import pytest

import guildhall
from guildhall._proto import pb
from guildhall.udp import ConnectToken, UdpOptions, UdpTransport, connect_udp, fetch_connect_token, open_udp
from conftest import STEP_S, Server, fast_options, free_port, guest, next_of, run, unique

_RIGHT = bytes([0x08, 0, 0])  # arena: the "right" button, aim 0


def _http(server: Server) -> str:
    return f"http://127.0.0.1:{server.http_port}"


async def _guest_token(server: Server) -> str:
    client = guildhall.AsyncClient(server.url("udp"), fast_options())
    return (await client.login_guest(unique("device-"))).access_token


async def _next_body(transport: UdpTransport, body: str) -> Any:
    """The next Envelope whose body is `body`, skipping others (snapshots, events)."""
    async def scan() -> Any:
        while True:
            envelope = pb.Envelope.FromString(await transport.receive())
            if envelope.WhichOneof("body") == body:
                return envelope
    return await asyncio.wait_for(scan(), STEP_S)


async def _drain(transport: UdpTransport) -> None:
    while True:
        await transport.receive()


async def play_arena(client: guildhall.AsyncClient, snapshots: int) -> tuple[list[int], list[float], int]:
    """Holds "right" in an arena room, one input per snapshot, for `snapshots` snapshots and at least one delta;
    returns the ticks seen, our fighter's x in each, and how many were deltas."""
    seat = (await client.rooms.join_or_create("arena")).you.seat
    ticks: list[int] = []
    xs: list[float] = []
    deltas = 0
    deadline = time.monotonic() + STEP_S
    while time.monotonic() < deadline and (len(ticks) < snapshots or deltas == 0):
        snapshot = await next_of(client, guildhall.RoomSnapshot)
        ticks.append(snapshot.tick)
        deltas += snapshot.baseline_tick != 0
        mine = [e for e in snapshot.entities.values() if e.type_name == "player" and e["seat"] == seat and not e["bot"]]
        assert len(mine) == 1, "our fighter is in every snapshot"
        xs.append(mine[0]["x"])
        client.rooms.send_input(_RIGHT)
    assert len(ticks) >= snapshots and all(a < b for a, b in zip(ticks, ticks[1:])), "newest only, in tick order"
    assert deltas > 0, "the acknowledged ticks make the server send deltas"
    assert xs[-1] != xs[0], "inputs on the unreliable channel moved the fighter"
    return ticks, xs, deltas


def test_arena_snapshots_and_inputs_ride_the_unreliable_channel(server: Server) -> None:
    async def body() -> None:
        client = await guest(server.url("udp"))
        transport: Any = client._link.transport if client._link else None
        assert isinstance(transport, UdpTransport)
        ticks, _, _ = await play_arena(client, 40)
        assert transport.unreliable_received >= len(ticks), "snapshots rode the unreliable channel"
        assert transport.unreliable_sent >= len(ticks), "inputs (with their acks) rode the unreliable channel"
        network = client.network
        assert network.transport == "udp" and 0 <= network.rtt_ms < 1000 and 0.0 <= network.packet_loss <= 1.0
        assert network.bytes_received == client.bytes_received > 0
        await client.close()
        assert client.network == guildhall.NetworkStats("", 0.0, 0.0, 0)
    run(body())


# The server impairs its own traffic both ways, the same for the same seed: lost, late and reordered packets.
@pytest.mark.server_settings("udp.sim_loss_percent=10", "udp.sim_reorder_percent=20", "udp.sim_latency_ms=5",
                             "udp.sim_jitter_ms=5", "udp.sim_seed=7")
def test_a_lossy_reordering_network_is_measured_and_played_through(own_server: Server) -> None:
    async def body() -> None:
        client = await guest(own_server.url("udp"))
        await play_arena(client, 60)
        assert client.rooms.bad_snapshots == 0, "every delta's baseline was one the client had decoded"
        network = client.network
        # 5 ms each way plus jitter: about 10-25 ms measured; loopback alone measures 0-1 ms.
        assert 0 < network.packet_loss < 0.5 and 5 <= network.rtt_ms < 1000, network
        channel = unique("lossy-")
        await client.chat.join(channel)  # the reliable channel gets through the same network
        assert (await client.chat.send(channel, "still here")).message_id > 0
        await client.close()
    run(body(), 90)


def test_transport_pings_on_the_reliable_channel_and_ends_when_closed(server: Server) -> None:
    async def body() -> None:
        transport = await connect_udp(_http(server), await _guest_token(server), UdpOptions(connect_timeout_s=STEP_S))
        try:
            first = pb.Envelope.FromString(await asyncio.wait_for(transport.receive(), STEP_S))
            assert first.WhichOneof("body") == "authenticated" and first.authenticated.username.startswith("guest-")
            for cid in range(1, 6):
                ping = pb.Envelope(cid=cid, ping=pb.Ping(client_time_ms=cid * 1000))
                await transport.send(ping.SerializeToString())
                pong = await _next_body(transport, "pong")
                assert pong.cid == cid and pong.pong.client_time_ms == cid * 1000 and pong.pong.server_time_ms > 0
            assert transport.kind == "udp" and transport.bytes_received > 0 and 0 <= transport.rtt_ms < 1000
        finally:
            await transport.close()
        with pytest.raises(guildhall.ConnectionLost):
            await transport.receive()
    run(body())


def test_connect_token_is_checked_and_needs_a_valid_access_token(server: Server) -> None:
    token = fetch_connect_token(_http(server), run(_guest_token(server)))
    assert isinstance(token, ConnectToken) and token.server_addresses[0] == ("127.0.0.1", server.udp_port)
    assert 1 <= token.timeout_seconds <= 120 and token.expire_timestamp > token.create_timestamp
    with pytest.raises(guildhall.AuthFailed) as refused:
        fetch_connect_token(_http(server), "not-a-token")
    assert refused.value.code in ("AUTH_FAILED", "TOKEN_EXPIRED")


def test_a_closed_port_is_a_connect_timeout(server: Server) -> None:
    token = fetch_connect_token(_http(server), run(_guest_token(server)))
    nobody = dataclasses.replace(token, server_addresses=(("127.0.0.1", free_port(socket.SOCK_DGRAM)),))

    async def body() -> float:
        started = time.monotonic()
        with pytest.raises(guildhall.ConnectTimeout):  # UDP has no refusal: silence until the time-out
            await open_udp("udp://127.0.0.1", nobody, UdpOptions(connect_timeout_s=1.0))
        return time.monotonic() - started
    assert 0.9 <= run(body()) < 5.0


@pytest.mark.server_settings("udp.max_clients_per_shard=1", shards=1)
def test_a_full_server_denies_and_that_is_connection_refused(own_server: Server) -> None:
    async def body() -> None:
        options = UdpOptions(connect_timeout_s=STEP_S)
        first = await connect_udp(_http(own_server), await _guest_token(own_server), options)
        try:
            await _next_body(first, "authenticated")
            started = time.monotonic()
            with pytest.raises(guildhall.ConnectionRefused):  # denied at once, not a time-out
                await connect_udp(_http(own_server), await _guest_token(own_server), options)
            assert time.monotonic() - started < STEP_S / 2
        finally:
            await first.close()
    run(body())


@pytest.mark.server_settings("udp.timeout_s=2")
def test_a_killed_server_is_connection_lost_after_the_token_timeout(own_server: Server) -> None:
    async def body() -> float:
        transport = await connect_udp(_http(own_server), await _guest_token(own_server),
                                      UdpOptions(connect_timeout_s=STEP_S))
        await _next_body(transport, "authenticated")
        await asyncio.get_running_loop().run_in_executor(None, own_server.kill)
        started = time.monotonic()
        with pytest.raises(guildhall.ConnectionLost):
            await asyncio.wait_for(_drain(transport), STEP_S)
        return time.monotonic() - started
    assert 1.5 < run(body()) < 5.0
