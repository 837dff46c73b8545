"""The faults a player meets, each a precise exception or event and never a hang: a refused connection, a
listener that never answers, a request without an answer, a silent server, a dropped connection (the room seat
kept), the server killed and restarted mid-session (channels rejoined, matches resumed with the moves missed), the
server shutting down with a reason, and a bad access token. A byte stream's faults (a proxy that freezes or cuts
it) run over WebSocket and TCP; the rest over UDP too (UDP's own: test_udp_integration.py, test_udp_fallback.py)."""

from __future__ import annotations

import asyncio
import signal
import socket
import time

import pytest

import guildhall
from guildhall import MatchEventKind
from conftest import Proxy, Server, fast_options, free_port, guest, next_of, over_streams, run, unique


@over_streams
def test_refused_port(server: Server, transport: str) -> None:
    async def body() -> None:
        closed = free_port()
        with pytest.raises(guildhall.ConnectionRefused):  # nothing on the HTTP port: the login is refused
            await guildhall.connect(f"ws://127.0.0.1:{closed}/ws", guest_id=unique("device-"), options=fast_options())
        client = guildhall.AsyncClient(server.url(transport, port=closed), fast_options())
        await client.login_guest(unique("device-"))
        started = time.monotonic()
        with pytest.raises(guildhall.ConnectionRefused):  # the login works, the socket is refused: not retried
            await client.connect()
        assert time.monotonic() - started < 5 and not client.connected
    run(body())


@over_streams
def test_listener_that_never_answers_is_a_connect_timeout(server: Server, transport: str) -> None:
    async def body() -> None:
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)  # the kernel completes TCP handshakes; nobody ever reads or writes
            client = guildhall.AsyncClient(server.url(transport, port=silent.getsockname()[1]),
                                           fast_options(connect_timeout_s=1.0))
            await client.login_guest(unique("device-"))
            started = time.monotonic()
            with pytest.raises(guildhall.ConnectTimeout) as timed_out:
                await client.connect()
            assert 0.9 < time.monotonic() - started < 5
            assert isinstance(timed_out.value, guildhall.TimedOut)
    run(body())


@over_streams
def test_request_timeout_then_dead_connection(server: Server, transport: str) -> None:
    async def body() -> None:
        proxy = await Proxy(server.target_port(transport)).start()
        options = fast_options(request_timeout_s=0.5, ping_interval_s=0.5, dead_after_s=2.0)
        options.reconnect.enabled = False
        client = await guest(server.url(transport, port=proxy.port), options)
        assert await client.ping() > 0
        proxy.freeze()
        with pytest.raises(guildhall.RequestTimeout):
            await client.chat.join("lobby")
        assert client.connected  # a late answer is not a dead connection...
        lost = await next_of(client, guildhall.Disconnected, timeout_s=10)  # ...but silence past dead_after_s is
        assert isinstance(lost.error, guildhall.ConnectionLost) and not lost.will_retry
        await next_of(client, guildhall.GaveUp)
        assert not client.connected
        with pytest.raises(guildhall.NotConnected):
            await client.ping()
        await proxy.close()
    run(body())


@over_streams
def test_dropped_connection_returns_to_the_room_seat(server: Server, transport: str) -> None:
    async def body() -> None:
        proxy = await Proxy(server.target_port(transport)).start()
        ada = await guest(server.url(transport, port=proxy.port))
        bob = await guest(server.url(transport))
        room = await ada.rooms.create("dots")
        await bob.rooms.join(room.room.room_id)
        channel = unique("c-")
        await ada.chat.join(channel)
        await bob.chat.join(channel)
        proxy.cut()
        lost = await next_of(ada, guildhall.Disconnected)
        assert isinstance(lost.error, guildhall.ConnectionLost) and lost.will_retry
        retry = await next_of(ada, guildhall.Reconnecting)
        assert retry.attempt == 1 and retry.delay_s == pytest.approx(0.3)
        dropped = await next_of(bob, guildhall.RoomEvent, member_change=guildhall.MemberChangeKind.DROPPED)
        assert ada.me is not None and dropped.member is not None and dropped.member.user_id == ada.me.user_id
        rejoined = await next_of(ada, guildhall.RoomRejoined)
        assert rejoined.joined.returned and rejoined.joined.you.seat == room.you.seat
        await next_of(ada, guildhall.Reconnected)
        assert proxy.connections == 2 and ada.connected and channel in ada.chat.channels
        await bob.chat.send(channel, "still there?")
        line = await next_of(ada, guildhall.ChatMessageReceived)
        assert line.message.text == "still there?"
        assert ada.rooms.send_input(b"\x01") >= 1
        await next_of(ada, guildhall.RoomSnapshot)
        await ada.close()
        await bob.close()
        await proxy.close()
    run(body())


# UDP sees a killed server only as silence: udp.timeout_s bounds how long (the default is 10 s).
@pytest.mark.server_settings("udp.timeout_s=3")
def test_server_killed_and_restarted_resumes_channels_and_matches(own_server: Server, transport: str) -> None:
    async def body() -> None:
        loop = asyncio.get_running_loop()
        # Keeps ada away until bob has moved: in front of her socket, or over UDP of the HTTP port that gives her
        # connect tokens (and her login).
        gate = await Proxy(own_server.target_port(transport)).start()
        ada = await guest(own_server.url(transport, port=gate.port))
        bob = await guest(own_server.url(transport))
        channel = unique("c-")
        await ada.chat.join(channel)
        await bob.chat.join(channel)
        created = await ada.matches.create("tictactoe", seat=guildhall.SeatChoice.FIRST)
        match_id = created.info.match_id
        await bob.matches.join(match_id)
        await ada.matches.move(match_id, "4")
        await next_of(bob, guildhall.MatchEvent, kind=MatchEventKind.MOVED)

        gate.accepting = False
        await loop.run_in_executor(None, own_server.kill)
        assert (await next_of(ada, guildhall.Disconnected)).will_retry
        await next_of(ada, guildhall.Reconnecting)
        await loop.run_in_executor(None, own_server.start)
        await next_of(bob, guildhall.Reconnected, timeout_s=20)
        assert bob.matches.followed == {match_id: 1}
        await bob.matches.move(match_id, "0", expected_ply=1)  # made while ada is away
        gate.accepting = True

        resumed = await next_of(ada, guildhall.MatchResumed, timeout_s=20)
        assert [m.move for m in resumed.missed_moves] == ["0"] and resumed.snapshot.info.ply == 2
        assert resumed.snapshot.legal_moves  # ada is to move again
        await next_of(ada, guildhall.Reconnected)
        # ada came back once, through the open gate: the socket twice, or the login and two connect tokens
        assert gate.connections == (3 if transport == "udp" else 2)
        assert ada.transport_kind == transport and bob.transport_kind == transport
        await bob.chat.send(channel, "welcome back")
        line = await next_of(ada, guildhall.ChatMessageReceived)
        assert (line.message.text, line.message.channel) == ("welcome back", channel)
        await ada.matches.move(match_id, "8", expected_ply=2)
        await ada.close()
        await bob.close()
        await gate.close()
    run(body())


def test_server_shutdown_is_server_closed_3001(own_server: Server, transport: str) -> None:
    async def body() -> None:
        url = own_server.url(transport)
        final = fast_options()
        final.reconnect.enabled = False
        stays, comes_back = await guest(url, final), await guest(url)
        room = await stays.rooms.create("dots")
        assert room.room.room_id
        await asyncio.get_running_loop().run_in_executor(None, own_server.signal, signal.SIGTERM)
        closed = await next_of(stays, guildhall.RoomClosed)
        assert closed.reason == guildhall.RoomClosedReason.SHUTDOWN
        lost = await next_of(stays, guildhall.Disconnected)
        assert isinstance(lost.error, guildhall.ServerClosed) and lost.error.code == 3001
        assert lost.error.retryable and lost.error.category == "server" and not lost.will_retry
        assert isinstance((await next_of(stays, guildhall.GaveUp)).error, guildhall.ServerClosed)
        again = await next_of(comes_back, guildhall.Disconnected)
        assert isinstance(again.error, guildhall.ServerClosed) and again.error.code == 3001 and again.will_retry
        await comes_back.close()
    run(body())


def test_a_bad_access_token_is_auth_failed(server: Server, transport: str) -> None:
    async def body() -> None:
        client = guildhall.AsyncClient(server.url(transport), fast_options())
        real = await client.login_guest(unique("device-"))
        client.set_session(guildhall.LoginSession(real.user_id, real.username, "a1.not-a-token", "", 0))
        with pytest.raises(guildhall.AuthFailed) as refused:  # UDP: the connect token is refused, no fallback
            await client.connect()
        assert refused.value.code == "AUTH_FAILED" and not client.connected
    run(body())
