"""Real-time rooms and the matchmaker over WebSocket, TCP and UDP against a real server (the `dots` test game:
20 Hz, 4 seats, one-byte inputs, messages "say" -> event "said", "kick_me")."""

from __future__ import annotations

import json
from typing import Any

import pytest

import guildhall
from guildhall import MemberChangeKind, RoomClosedReason
from conftest import Server, guest, next_of, run, unique

_RIGHT = b"\x08"


def test_create_join_inputs_snapshots_events_leave(server: Server, transport: str) -> None:
    async def body() -> None:
        url = server.url(transport)
        ada, bob = await guest(url), await guest(url)
        created = await ada.rooms.create("dots", {"mode": unique("m")})
        room_id = created.room.room_id
        assert created.tick_hz == 20 and created.max_input_bytes == 8 and created.you.seat == 0
        assert [t["name"] for t in json.loads(created.schema_json)["types"]] == ["dot", "clock"]
        full = await next_of(ada, guildhall.RoomSnapshot)
        assert full.room_id == room_id and full.baseline_tick == 0 and full.data and len(full.entities) == 2

        joined = await bob.rooms.join(room_id)
        assert joined.you.seat == 1 and {m.seat for m in joined.members} == {0, 1}
        change = await next_of(ada, guildhall.RoomEvent, member_change=MemberChangeKind.JOINED)
        assert change.member is not None and bob.me is not None and change.member.user_id == bob.me.user_id

        assert [ada.rooms.send_input(_RIGHT) for _ in range(3)] == [1, 2, 3]
        with pytest.raises(ValueError):
            ada.rooms.send_input(b"x" * 9)
        later = await next_of(ada, guildhall.RoomSnapshot)
        delta = await ada.wait_for(lambda e: isinstance(e, guildhall.RoomSnapshot) and e.baseline_tick > 0, 15)
        assert later.tick > full.tick and delta.baseline_tick <= ada.rooms.newest_tick  # acknowledged ticks

        await ada.rooms.send_message("say", '{"text":"gg"}')
        said = await next_of(bob, guildhall.RoomEvent, type="said")
        assert said.payload == '{"text":"gg"}' and said.member_change == MemberChangeKind.NONE

        listed = await bob.rooms.list("dots", {"mode": json.loads(created.room.label)["mode"]})
        assert [r.room_id for r in listed] == [room_id] and listed[0].players == 2
        carol = await guest(url)
        watching = await carol.rooms.spectate(room_id)
        assert watching.you.spectator and watching.you.seat == -1
        await next_of(carol, guildhall.RoomSnapshot)
        with pytest.raises(guildhall.NotConnected):
            carol.rooms.send_input(_RIGHT)

        await bob.rooms.leave()
        assert bob.rooms.room_id == 0
        left = await next_of(ada, guildhall.RoomEvent, member_change=MemberChangeKind.LEFT)
        assert left.member is not None and left.member.user_id == bob.me.user_id
        await ada.rooms.send_message("kick_me")
        kicked = await next_of(ada, guildhall.RoomClosed)
        assert kicked.room_id == room_id and kicked.reason == RoomClosedReason.KICKED and ada.rooms.room_id == 0
        with pytest.raises(guildhall.ServerError) as missing:
            await bob.rooms.join(room_id + 1_000_000)
        assert missing.value.code == "ROOM_NOT_FOUND"
        for client in (ada, bob, carol):
            await client.close()
    run(body())


def test_join_or_create_and_the_end_of_a_room(server: Server, transport: str) -> None:
    async def body() -> None:
        url, mode = server.url(transport), unique("m")
        ada, bob = await guest(url), await guest(url)
        first = await ada.rooms.join_or_create("dots", {"mode": mode, "end_after_ticks": "10"})
        second = await bob.rooms.join_or_create("dots", {"mode": mode})
        assert first.room.room_id == second.room.room_id
        ended = await next_of(bob, guildhall.RoomClosed)
        assert ended.reason == RoomClosedReason.ENDED and ended.message == "time is up"
        await ada.close()
        await bob.close()
    run(body())


def test_snapshots_arrive_decoded_by_the_rooms_schema(server: Server, transport: str) -> None:
    async def body() -> None:
        client = await guest(server.url(transport))
        await client.rooms.create("dots")
        snapshot = await next_of(client, guildhall.RoomSnapshot)
        by_type = {state.type_name: state for state in snapshot.entities.values()}
        assert by_type["clock"]["tick"] == snapshot.tick          # dots: a clock entity carries the tick
        assert (by_type["dot"]["x"], by_type["dot"]["y"]) == (50.0, 50.0)   # a new dot starts in the middle
        await client.close()
    run(body())


def test_snapshot_decoder_hook(server: Server, transport: str) -> None:
    async def body() -> None:
        client = await guest(server.url(transport))
        schemas: list[str] = []

        def factory(joined: guildhall.RoomJoined) -> Any:
            schemas.append(joined.schema_json)
            return lambda tick, baseline, data: ("decoded", tick, baseline, len(data))
        client.rooms.set_snapshot_decoder(factory)
        joined = await client.rooms.create("dots")
        snapshot = await next_of(client, guildhall.RoomSnapshot)
        assert schemas == [joined.schema_json]
        assert snapshot.entities == ("decoded", snapshot.tick, snapshot.baseline_tick, len(snapshot.data))
        await client.rooms.leave()

        def refusing(joined: guildhall.RoomJoined) -> Any:
            def decode(tick: int, baseline: int, data: bytes) -> Any:
                raise ValueError("truncated")
            return decode
        client.rooms.set_snapshot_decoder(refusing)
        await client.rooms.create("dots")
        error = await next_of(client, guildhall.ErrorEvent)
        assert isinstance(error.error, guildhall.ProtocolError) and "truncated" in str(error.error)
        assert client.rooms.bad_snapshots >= 1
        await client.close()
    run(body())


def test_matchmaker_pairs_two_players(server: Server, transport: str) -> None:
    async def body() -> None:
        url, mode = server.url(transport), unique("q")
        ada, bob, carol = await guest(url), await guest(url), await guest(url)
        query = {"mode": mode}
        tickets = [await c.matchmaker.add("dots", string_properties=query, query_equal=query, min_count=2,
                                          max_count=2) for c in (ada, bob)]
        assert tickets[0].room_type == "dots" and tickets[0].ticket != tickets[1].ticket
        with pytest.raises(guildhall.ServerError) as queued:
            await ada.matchmaker.add("dots")
        assert queued.value.code == "ALREADY_QUEUED"
        matched = [await next_of(c, guildhall.MatchmakerMatched) for c in (ada, bob)]
        assert matched[0].room_id == matched[1].room_id and len(matched[0].players) == 2
        seats = [await c.rooms.join_reserved(m.room_id, m.reservation) for c, m in zip((ada, bob), matched)]
        assert {s.you.seat for s in seats} == {0, 1} and seats[0].room.label == json.dumps(query, separators=(",", ":"))

        alone = await carol.matchmaker.add("dots", string_properties={"mode": unique("q")}, min_count=2, max_count=2)
        await carol.matchmaker.remove(alone.ticket)
        with pytest.raises(guildhall.ServerError) as gone:
            await carol.matchmaker.remove(alone.ticket)
        assert gone.value.code == "NOT_FOUND"
        for client in (ada, bob, carol):
            await client.close()
    run(body())
