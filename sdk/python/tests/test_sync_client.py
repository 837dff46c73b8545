"""The game-loop API (guildhall.Client): calls return Futures at once, callbacks run inside poll() on the caller's
thread, and poll() never blocks, measured while messages flow."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import Future
from typing import Any

import pytest

import guildhall
from conftest import STEP_S, Proxy, Server, fast_options, over_streams, run, unique

# The slowest poll() allowed: the network thread may hold the GIL for one switch interval (5 ms), and the machine is
# loaded (2 cores, ctest -j2); a blocking poll() would wait for the network instead (a round trip, or seconds).
POLL_BUDGET_S = 0.020
TYPICAL_POLL_S = 0.0005  # the median poll(): what a frame usually pays


def poll_until(client: guildhall.Client, wanted: Any, timeout_s: float = STEP_S) -> tuple[Any, float]:
    """Polls as a game loop does (1 ms frames) until an event satisfies `wanted`; returns it and the slowest
    poll() seen."""
    slowest = 0.0
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        started = time.perf_counter()
        events = client.poll()
        slowest = max(slowest, time.perf_counter() - started)
        for event in events:
            if wanted(event):
                return event, slowest
        time.sleep(0.001)
    raise AssertionError("the event did not come")


def test_game_loop_chat_with_callbacks(server: Server, transport: str) -> None:
    channel = unique("loop-")
    with guildhall.Client(server.url(transport), fast_options()) as ada, \
            guildhall.Client(server.url(transport), fast_options()) as bob:
        ada.login_guest(unique("device-")).result(STEP_S)
        bob.login_guest(unique("device-")).result(STEP_S)
        assert ada.connect().result(STEP_S).username.startswith("guest-") and ada.connected
        bob.connect().result(STEP_S)
        ada.chat.join(channel).result(STEP_S)

        seen: list[tuple[int, Any]] = []
        started = time.perf_counter()
        future = bob.chat.join(channel, callback=lambda done: seen.append((threading.get_ident(), done.result())))
        assert time.perf_counter() - started < POLL_BUDGET_S and isinstance(future, Future)
        future.result(STEP_S)
        assert seen == []  # not run on the network thread: only inside poll()
        bob.poll()
        assert seen and seen[0][0] == threading.get_ident() and seen[0][1].channel == channel

        for i in range(15):  # under the chat burst of 20 (the join spent one)
            bob.chat.send(channel, f"line {i}")
        line, slowest = poll_until(ada, lambda e: isinstance(e, guildhall.ChatMessageReceived)
                                   and e.message.text == "line 14")
        assert line.message.channel == channel
        assert slowest < POLL_BUDGET_S, f"poll() took {slowest * 1000:.2f} ms"

        idle = []
        for _ in range(200):
            started = time.perf_counter()
            ada.poll()
            idle.append(time.perf_counter() - started)
        assert max(idle) < POLL_BUDGET_S and sorted(idle)[100] < TYPICAL_POLL_S

        failed = bob.chat.send("not-joined-" + unique("c"), "x")
        with pytest.raises(guildhall.ServerError) as refused:
            failed.result(STEP_S)
        assert refused.value.code == "NOT_MEMBER"


def test_game_loop_room_inputs_and_failed_connect(server: Server, transport: str) -> None:
    with guildhall.Client(server.url(transport), fast_options()) as client:
        client.login_guest(unique("device-")).result(STEP_S)
        client.connect().result(STEP_S)
        joined = client.rooms.create("dots").result(STEP_S)
        assert client.rooms.room_id == joined.room.room_id
        snapshot, slowest = poll_until(client, lambda e: isinstance(e, guildhall.RoomSnapshot))
        assert snapshot.data and slowest < POLL_BUDGET_S
        started = time.perf_counter()
        sequences = [client.rooms.send_input(b"\x08") for _ in range(5)]
        assert sequences == [1, 2, 3, 4, 5] and time.perf_counter() - started < POLL_BUDGET_S
        poll_until(client, lambda e: isinstance(e, guildhall.RoomSnapshot) and e.tick > snapshot.tick)
        client.rooms.leave().result(STEP_S)

    refused = guildhall.Client(f"ws://127.0.0.1:{server.http_port}/ws", fast_options())
    try:
        refused.login_guest(unique("device-")).result(STEP_S)
        server_url_closed = guildhall.Client(server.url(transport, port=_closed_port()), fast_options(),
                                             session=refused.session)
        try:
            with pytest.raises(guildhall.ConnectionRefused):
                server_url_closed.connect().result(STEP_S)
        finally:
            server_url_closed.close()
    finally:
        refused.close()


@over_streams  # a proxy freezes the byte stream
def test_poll_never_waits_for_a_silent_server(server: Server, transport: str) -> None:
    """A request the server never answers (a frozen proxy) is pending; poll() keeps returning at once."""
    async def proxy_until(stop: threading.Event, ready: list[Proxy]) -> None:
        ready.append(await Proxy(server.target_port(transport)).start())
        while not stop.is_set():
            await asyncio.sleep(0.01)
        await ready[0].close()

    stop, proxies = threading.Event(), []
    thread = threading.Thread(target=lambda: run(proxy_until(stop, proxies)))
    thread.start()
    try:
        deadline = time.monotonic() + STEP_S
        while not proxies and time.monotonic() < deadline:
            time.sleep(0.01)
        options = fast_options(request_timeout_s=1.0)
        with guildhall.Client(server.url(transport, port=proxies[0].port), options) as client:
            client.login_guest(unique("device-")).result(STEP_S)
            client.connect().result(STEP_S)
            proxies[0].freeze()
            pending = client.ping()
            polls = []
            while not pending.done():
                started = time.perf_counter()
                assert client.poll() == []
                polls.append(time.perf_counter() - started)
                time.sleep(0.001)
            assert isinstance(pending.exception(), guildhall.RequestTimeout)
            assert len(polls) > 100 and max(polls) < POLL_BUDGET_S and sorted(polls)[len(polls) // 2] < TYPICAL_POLL_S
    finally:
        stop.set()
        thread.join(STEP_S)


def _closed_port() -> int:
    from conftest import free_port
    return free_port()


def test_asyncio_and_game_loop_see_the_same_events(server: Server, transport: str) -> None:
    """One client of each API style in one channel."""
    channel = unique("both-")

    async def asyncio_side(ready: threading.Event, done: threading.Event) -> str:
        async with guildhall.connect(server.url(transport), guest_id=unique("device-"),
                                     options=fast_options()) as client:
            await client.chat.join(channel)
            ready.set()
            event = await client.wait_for(lambda e: isinstance(e, guildhall.ChatMessageReceived), STEP_S)
            await client.chat.send(channel, "pong")
            done.wait(STEP_S)
            return event.message.text

    ready, done = threading.Event(), threading.Event()
    result: list[str] = []
    thread = threading.Thread(target=lambda: result.append(run(asyncio_side(ready, done))))
    thread.start()
    try:
        with guildhall.Client(server.url(transport), fast_options()) as client:
            client.login_guest(unique("device-")).result(STEP_S)
            client.connect().result(STEP_S)
            client.chat.join(channel).result(STEP_S)
            assert ready.wait(STEP_S)
            client.chat.send(channel, "ping").result(STEP_S)
            answer, _ = poll_until(client, lambda e: isinstance(e, guildhall.ChatMessageReceived)
                                   and e.message.text == "pong")
            done.set()
    finally:
        done.set()
        thread.join(STEP_S * 2)
    assert result == ["ping"]
