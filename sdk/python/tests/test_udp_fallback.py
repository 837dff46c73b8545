"""ClientOptions.udp_fallback (on by default, as the C++ SDK's `automatic`): a udp:// client whose server serves no
UDP, or whose first UDP connection gets no answer or is denied, connects over WebSocket on the HTTP port instead
and stays there; with the option off the same connect raises (UdpNotServed, ConnectTimeout, ConnectionRefused)."""

from __future__ import annotations

import asyncio
import socket
import tempfile
import time
from typing import Iterator

import pytest

import guildhall
from conftest import STEP_S, Server, _binary, fast_options, free_port, guest, next_of, run, unique

# The UDP handshake's time-out where UDP is silent: short, so the test waits little, yet far above a loopback
# handshake under load.
SILENT_UDP_TIMEOUT_S = 2.0


def without_fallback(**changes: object) -> guildhall.ClientOptions:
    options = fast_options(**changes)
    options.udp_fallback = False
    return options


async def fell_back(server: Server, options: guildhall.ClientOptions | None = None) -> guildhall.AsyncClient:
    """A client of server.url("udp") that is on WebSocket, proven by a chat line from a WebSocket client."""
    client = await guest(server.url("udp"), options)
    assert client.transport_kind == "websocket" and client.network.transport == "websocket"
    channel = unique("fb-")
    other = await guest(server.url("websocket"))
    await client.chat.join(channel)
    await other.chat.join(channel)
    await other.chat.send(channel, "over WebSocket")
    assert (await next_of(client, guildhall.ChatMessageReceived)).message.text == "over WebSocket"
    await other.close()
    return client


async def strict_connect(server: Server, options: guildhall.ClientOptions) -> guildhall.AsyncClient:
    """A logged-in client without fallback whose connect() the caller expects to raise."""
    client = guildhall.AsyncClient(server.url("udp"), options)
    await client.login_guest(unique("device-"))
    return client


@pytest.fixture()
def silent_udp_server() -> Iterator[Server]:
    """A server whose connect tokens name a UDP port where nobody listens: a firewall that drops UDP."""
    with tempfile.TemporaryDirectory(prefix="guildhall-py-") as data:
        closed = free_port(socket.SOCK_DGRAM)
        running = Server(_binary(), data, [f"udp.public_address=127.0.0.1:{closed}"])
        running.start()
        yield running
        running.stop()


@pytest.mark.server_settings("udp.enabled=false")
def test_a_server_without_udp_gets_websocket(own_server: Server) -> None:
    async def body() -> None:
        await (await fell_back(own_server)).close()
        strict = await strict_connect(own_server, without_fallback())
        with pytest.raises(guildhall.UdpNotServed) as refused:
            await strict.connect()
        assert isinstance(refused.value, guildhall.ConnectionRefused) and not strict.connected
    run(body())


def test_silent_udp_falls_back_after_the_connect_timeout(silent_udp_server: Server) -> None:
    async def fallback() -> float:
        started = time.monotonic()
        client = await fell_back(silent_udp_server, fast_options(connect_timeout_s=SILENT_UDP_TIMEOUT_S))
        elapsed = time.monotonic() - started
        await client.close()
        return elapsed

    async def strict() -> float:
        client = await strict_connect(silent_udp_server, without_fallback(connect_timeout_s=SILENT_UDP_TIMEOUT_S))
        started = time.monotonic()
        with pytest.raises(guildhall.ConnectTimeout):
            await client.connect()
        return time.monotonic() - started

    async def body() -> None:
        fell_back_s, timed_out_s = await asyncio.gather(fallback(), strict())
        assert SILENT_UDP_TIMEOUT_S * 0.9 < timed_out_s < SILENT_UDP_TIMEOUT_S + 3
        assert SILENT_UDP_TIMEOUT_S * 0.9 < fell_back_s < SILENT_UDP_TIMEOUT_S + STEP_S
    run(body())


@pytest.mark.server_settings("udp.max_clients_per_shard=1", shards=1)
def test_a_denied_first_connection_falls_back_and_stays_on_websocket(own_server: Server) -> None:
    async def body() -> None:
        loop = asyncio.get_running_loop()
        first = await guest(own_server.url("udp"))
        assert first.transport_kind == "udp"
        strict = await strict_connect(own_server, without_fallback())
        with pytest.raises(guildhall.ConnectionRefused):  # denied: the shard is full
            await strict.connect()
        second = await fell_back(own_server)
        await first.close()  # UDP has room again; the client that fell back stays on WebSocket regardless
        await loop.run_in_executor(None, own_server.kill)
        await next_of(second, guildhall.Disconnected)
        await loop.run_in_executor(None, own_server.start)
        await next_of(second, guildhall.Reconnected, timeout_s=STEP_S * 2)
        assert second.transport_kind == "websocket"
        await second.close()
    run(body())
