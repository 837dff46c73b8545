"""client.rooms: real-time rooms (docs/protocol.md, "Rooms"), one at a time. Events: RoomSnapshot, RoomEvent,
RoomClosed, RoomRejoined.

Snapshots arrive as bytes (a delta against an earlier tick) and are decoded into entity states by the schema the
room sent with RoomJoined (guildhall.snapshot.SnapshotDecoder; set_snapshot_decoder replaces it, or turns decoding
off). The SDK acknowledges the newest tick it decoded, with each input or on its own about once per tick, so later
snapshots are deltas against it. Over UDP snapshots and inputs ride the unreliable channel: a snapshot not newer
than the newest one shown is skipped (counted in stale_snapshots), and each input rides in INPUT_REDUNDANCY
consecutive RoomInputs so that a lost one costs nothing.

Threading: send_input may be called from any thread (the game-loop API calls it on the game's thread); the rest
runs on the client's loop.
"""

from __future__ import annotations

import collections
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from guildhall._proto import pb
from guildhall.errors import GuildhallError, NotConnected, ProtocolError
from guildhall.events import RoomClosed, RoomEvent, RoomRejoined, RoomSnapshot
from guildhall.snapshot import SnapshotDecoder
from guildhall.types import MemberChangeKind, RoomClosedReason, RoomInfo, RoomJoined, RoomMember, from_proto

if TYPE_CHECKING:
    from guildhall.client import AsyncClient

# decode(tick, baseline_tick, data) -> entities; raises ValueError for bytes that do not decode.
SnapshotDecode = Callable[[int, int, bytes], Any]
# Called once per room joined with its RoomJoined; returns that room's decode, or None to leave its snapshots as
# bytes (decode_by_schema does for a room that sent no schema).
SnapshotDecoderFactory = Callable[[RoomJoined], SnapshotDecode | None]

INPUT_REDUNDANCY = 3           # each input rides in this many consecutive RoomInputs, so a lost one costs nothing
MAX_INPUTS_PER_MESSAGE = 8     # the server's cap per RoomInput


def decode_by_schema(joined: RoomJoined) -> SnapshotDecode | None:
    """The default decoder: entity states by id, read with the schema the room sent (none: bytes only)."""
    return SnapshotDecoder(joined.schema_json).decode if joined.schema_json else None


class _RoomState:
    def __init__(self, joined: RoomJoined, spectator: bool, decode: SnapshotDecode | None) -> None:
        self.room_id = joined.room.room_id
        self.spectator = spectator
        self.max_input_bytes = joined.max_input_bytes
        self.tick_period_s = 1.0 / (joined.tick_hz or 30)
        self.decode = decode
        self.newest_tick = 0
        self.acked_tick = 0
        self.last_ack_s = 0.0
        self.sequence = 0
        self.recent: collections.deque[pb.InputFrame] = collections.deque(maxlen=INPUT_REDUNDANCY)


class Rooms:
    def __init__(self, client: "AsyncClient") -> None:
        self._client = client
        self._room: _RoomState | None = None
        self._decoder_factory: SnapshotDecoderFactory | None = decode_by_schema
        self._lock = threading.Lock()  # guards _room's input state against send_input from another thread
        self.bad_snapshots = 0
        self.stale_snapshots = 0  # not newer than the newest shown (UDP may reorder or repeat): skipped, no error

    def set_snapshot_decoder(self, factory: SnapshotDecoderFactory | None) -> None:
        """Decodes snapshots from the next room joined on with `factory`: RoomSnapshot.entities is then what its
        decode returned. None: no decoding (entities None), for a program that decodes the bytes itself."""
        self._decoder_factory = factory

    @property
    def room_id(self) -> int:
        """The room this player is in (0: none)."""
        room = self._room
        return room.room_id if room else 0

    @property
    def newest_tick(self) -> int:
        """The newest snapshot tick received in the room (0: none yet)."""
        room = self._room
        return room.newest_tick if room else 0

    async def create(self, type: str, options: Mapping[str, str] | None = None, private: bool = False,
                     invite: Iterable[int] = ()) -> RoomJoined:
        """Creates a room of `type` with the game's options and seats this player. `invite`: user ids a private
        room admits."""
        request = pb.CreateRoom(type=type, private=private, invite=list(invite))
        request.options.update(options or {})
        return await self._join(pb.Envelope(create_room=request), "CreateRoom", False)

    async def join(self, room_id: int) -> RoomJoined:
        """Joins by id (back to the same seat within the reconnection grace)."""
        return await self._join(pb.Envelope(join_room=pb.JoinRoom(room_id=room_id)), "JoinRoom", False)

    async def join_reserved(self, room_id: int, reservation: str) -> RoomJoined:
        """Takes the seat a MatchmakerMatched reserved."""
        request = pb.JoinRoom(room_id=room_id, reservation=reservation)
        return await self._join(pb.Envelope(join_room=request), "JoinRoom", False)

    async def join_or_create(self, type: str, options: Mapping[str, str] | None = None) -> RoomJoined:
        """The first public room of `type` with a seat whose label matches `options`, else a new one."""
        request = pb.JoinRoom(type=type)
        request.options.update(options or {})
        return await self._join(pb.Envelope(join_room=request), "JoinRoom", False)

    async def spectate(self, room_id: int) -> RoomJoined:
        """Joins without a seat: snapshots and events, no input."""
        request = pb.JoinRoom(room_id=room_id, spectate=True)
        return await self._join(pb.Envelope(join_room=request), "JoinRoom", True)

    async def list(self, type: str, label_filter: Mapping[str, str] | None = None) -> tuple[RoomInfo, ...]:
        """Public rooms of `type` (at most 100) whose label has every label_filter entry."""
        request = pb.ListRooms(type=type)
        request.label_filter.update(label_filter or {})
        answer = await self._client._call(pb.Envelope(list_rooms=request), "ListRooms", "room_list")
        return tuple(from_proto(RoomInfo, r) for r in answer.rooms)

    async def leave(self) -> None:
        """Leaves the room; the seat is free at once."""
        room, self._room = self._room, None
        if room is not None:
            await self._client._call(pb.Envelope(leave_room=pb.LeaveRoom(room_id=room.room_id)), "LeaveRoom",
                                     "room_left")

    def send_input(self, data: bytes, client_tick: int = 0, view_tick: int = 0) -> int:
        """Sends one input in the game's encoding (at most max_input_bytes) for `client_tick` (0: the newest
        snapshot's tick + 1), seen at `view_tick` (0: the newest snapshot's tick), and acknowledges the newest
        snapshot. Returns its sequence number (1, 2, ...). Never waits; any thread. Raises NotConnected without a
        room, ValueError for an input too long."""
        with self._lock:
            room = self._room
            if room is None or room.spectator:
                raise NotConnected("send_input: not seated in a room")
            if len(data) > room.max_input_bytes:
                raise ValueError(f"an input of {len(data)} bytes is over the room's {room.max_input_bytes}")
            room.sequence += 1
            room.recent.append(pb.InputFrame(sequence=room.sequence, client_tick=client_tick or room.newest_tick + 1,
                                             view_tick=view_tick or room.newest_tick, data=bytes(data)))
            message = pb.RoomInput(room_id=room.room_id, ack_tick=room.newest_tick, inputs=list(room.recent))
            room.acked_tick, room.last_ack_s = room.newest_tick, time.monotonic()
            sequence = room.sequence
        self._send_input_soon(room, message)
        return sequence

    async def send_message(self, type: str, payload: str = "") -> None:
        """A reliable message to the room's game (type 1..32 bytes, payload at most 4096). No answer comes unless
        refused: a refusal arrives as an ErrorEvent."""
        room = self._room
        if room is None:
            raise NotConnected("send_message: not in a room")
        await self._client._send(pb.Envelope(room_message=pb.RoomMessage(room_id=room.room_id, type=type,
                                                                          payload=payload)))

    async def _join(self, envelope: pb.Envelope, name: str, spectator: bool) -> RoomJoined:
        joined = from_proto(RoomJoined, await self._client._call(envelope, name, "room_joined"))
        self._enter(joined, spectator)
        return joined

    def _enter(self, joined: RoomJoined, spectator: bool) -> None:
        decode = self._decoder_factory(joined) if self._decoder_factory else None  # may be None: bytes only
        state = _RoomState(joined, spectator, decode)
        with self._lock:
            old = self._room
            if old is not None and old.room_id == state.room_id:
                state.sequence = old.sequence  # the server drops sequences it has applied: go on counting
            self._room = state

    def _on_snapshot(self, snapshot: pb.RoomSnapshot) -> None:
        room = self._room
        if room is None or snapshot.room_id != room.room_id:
            return
        if snapshot.tick <= room.newest_tick:
            self.stale_snapshots += 1  # an older world than the one the game has shown is of no use to it
            return
        entities = None
        if room.decode is not None:
            try:
                entities = room.decode(snapshot.tick, snapshot.baseline_tick, snapshot.data)
            except (ValueError, ProtocolError) as error:
                self.bad_snapshots += 1
                self._client._report(ProtocolError(f"room snapshot {snapshot.tick} does not decode: {error}"))
                return
        room.newest_tick = snapshot.tick
        self._client._emit(RoomSnapshot(snapshot.room_id, snapshot.tick, snapshot.baseline_tick,
                                        bytes(snapshot.data), entities))
        self._acknowledge(room)

    def _acknowledge(self, room: _RoomState) -> None:
        """Acknowledges a tick no input acknowledged within a tick period (a spectator's, an idle player's)."""
        now = time.monotonic()
        with self._lock:
            if room.newest_tick == room.acked_tick or now - room.last_ack_s < room.tick_period_s:
                return
            room.acked_tick, room.last_ack_s = room.newest_tick, now
            message = pb.RoomInput(room_id=room.room_id, ack_tick=room.newest_tick)
        self._send_input_soon(room, message)

    def _send_input_soon(self, room: _RoomState, message: pb.RoomInput) -> None:
        """Unreliable (over UDP, latest wins), and only while `room` is still the one this player is in."""
        self._client._send_soon(pb.Envelope(room_input=message), unreliable=True,
                                still_wanted=lambda: self._room is room)

    def _on_event(self, event: pb.RoomEvent) -> None:
        if self._room is None or event.room_id != self._room.room_id:
            return
        change = event.member_change
        member = from_proto(RoomMember, change.member) if event.HasField("member_change") else None
        self._client._emit(RoomEvent(event.room_id, event.seq, event.type, event.payload,
                                     MemberChangeKind(change.kind), member))

    def _on_closed(self, closed: pb.RoomClosed) -> None:
        if self._room is not None and self._room.room_id == closed.room_id:
            self._room = None
        self._client._emit(RoomClosed(closed.room_id, RoomClosedReason(closed.reason), closed.message))

    async def _rejoin(self) -> None:
        room = self._room
        if room is None:
            return
        request = pb.JoinRoom(room_id=room.room_id, spectate=room.spectator)
        try:
            joined = await self._join(pb.Envelope(join_room=request), "JoinRoom", room.spectator)
        except GuildhallError as error:
            if self._room is room:
                self._room = None
            self._client._emit(RoomClosed(room.room_id, RoomClosedReason.UNSPECIFIED,
                                          f"could not rejoin the room: {error}"))
            return
        self._client._emit(RoomRejoined(joined))
