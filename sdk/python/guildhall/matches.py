"""client.matches: turn-based matches (docs/protocol.md, "Matches"). Events: MatchEvent, Notification,
OpenMatchesChanged, and MatchResumed after a reconnection.

The SDK remembers, per match this connection follows (created, joined, opened), the last ply it saw; after a
reconnection it reopens each with OpenMatch{after_ply} and reports the moves missed meanwhile (MatchResumed).
"""

from __future__ import annotations

import asyncio
import enum
from typing import TYPE_CHECKING, Iterable, Mapping, TypeVar, cast

from guildhall._proto import pb
from guildhall.errors import GuildhallError
from guildhall.events import MatchEvent, MatchResumed
from guildhall.types import (MatchAction, MatchEventKind, MatchInfo, MatchSnapshot, MatchStatus, MoveRecord,
                             SeatChoice, from_proto)

if TYPE_CHECKING:
    from guildhall.client import AsyncClient

_OVER = (MatchStatus.FINISHED, MatchStatus.ABORTED)
_WireEnum = TypeVar("_WireEnum")


def _pb_enum(wire_type: type[_WireEnum], value: enum.IntEnum) -> _WireEnum:
    """`value` for a field of the protocol enum `wire_type`, unchanged: our IntEnums carry the .proto's numbers
    (tests/test_units.py checks), and protoc's stub declares the protocol enum as a class of its own where the
    run time takes any int. The cast says only that; `wire_type` is there for the type checker."""
    return cast(_WireEnum, int(value))


class Matches:
    def __init__(self, client: "AsyncClient") -> None:
        self._client = client
        self._followed: dict[int, int] = {}  # match id -> last ply seen

    @property
    def followed(self) -> dict[int, int]:
        """The matches resumed after a reconnection: match id -> the last ply seen."""
        return dict(self._followed)

    async def create(self, game: str = "chess", *, options: Mapping[str, str] | None = None,
                     invite: Iterable[str] = (), bot: bool = False, bot_skill_level: int = 0,
                     bot_move_time_ms: int = 0, rated: bool = False, initial_ms: int = 0, increment_ms: int = 0,
                     seat: SeatChoice = SeatChoice.ANY) -> MatchSnapshot:
        """Creates a match and seats this player: open to anyone, only to `invite`d usernames, or against the
        server's bot (starts at once). initial_ms 0: no clock."""
        request = pb.CreateMatch(game=game, invite=list(invite), rated=rated, seat=_pb_enum(pb.SeatChoice, seat),
                                 bot=pb.BotSpec(enabled=bot, skill_level=bot_skill_level,
                                                move_time_ms=bot_move_time_ms),
                                 time_control=pb.TimeControl(initial_ms=initial_ms, increment_ms=increment_ms))
        request.options.update(options or {})
        return self._follow(await self._snapshot(pb.Envelope(create_match=request), "CreateMatch"))

    async def list_open(self, game: str = "", subscribe: bool = False) -> tuple[MatchInfo, ...]:
        """Matches waiting for players (game "": every game). `subscribe`: OpenMatchesChanged events follow
        (a call without it ends the subscription)."""
        request = pb.ListOpenMatches(game=game, subscribe=subscribe)
        answer = await self._client._call(pb.Envelope(list_open_matches=request), "ListOpenMatches", "match_list")
        return tuple(from_proto(MatchInfo, m) for m in answer.matches)

    async def join(self, match_id: int) -> MatchSnapshot:
        """Takes a free seat; the last one starts the match."""
        envelope = pb.Envelope(join_match=pb.JoinMatch(match_id=match_id))
        return self._follow(await self._snapshot(envelope, "JoinMatch"))

    async def open(self, match_id: int, after_ply: int = 0) -> MatchSnapshot:
        """Subscribes to the match's events (player or spectator); the snapshot holds the moves after
        `after_ply` (0: all). How a new device resumes a match found with list_mine()."""
        envelope = pb.Envelope(open_match=pb.OpenMatch(match_id=match_id, after_ply=after_ply))
        return self._follow(await self._snapshot(envelope, "OpenMatch"))

    async def move(self, match_id: int, move: str, expected_ply: int | None = None) -> MoveRecord:
        """Makes a move (chess: UCI or SAN). `expected_ply`: the moves this player has seen, so a move on a stale
        position is refused (NOT_YOUR_TURN). ILLEGAL_MOVE carries the game's reason."""
        request = pb.MakeMove(match_id=match_id, move=move)
        if expected_ply is not None:
            request.ply = expected_ply
        answer = await self._client._call(pb.Envelope(make_move=request), "MakeMove", "move_accepted")
        record = from_proto(MoveRecord, answer.move)
        if match_id in self._followed:
            self._followed[match_id] = max(self._followed[match_id], record.ply)
        return record

    async def act(self, match_id: int, action: MatchAction) -> MatchSnapshot:
        """Resign, offer/accept/decline a draw, abort (before both players have moved)."""
        envelope = pb.Envelope(match_action=pb.MatchAction(match_id=match_id, kind=_pb_enum(pb.MatchAction.Kind, action)))
        return self._follow(await self._snapshot(envelope, "MatchAction"))

    async def leave(self, match_id: int) -> None:
        """Stops the events (in an open match: gives up the seat). A running match's clock keeps running."""
        self._followed.pop(match_id, None)
        await self._client._call(pb.Envelope(leave_match=pb.LeaveMatch(match_id=match_id)), "LeaveMatch",
                                 "match_left")

    async def list_mine(self, include_finished: bool = False) -> tuple[MatchInfo, ...]:
        """This player's open and active matches (and finished ones), newest first."""
        request = pb.ListMyMatches(include_finished=include_finished)
        answer = await self._client._call(pb.Envelope(list_my_matches=request), "ListMyMatches", "match_list")
        return tuple(from_proto(MatchInfo, m) for m in answer.matches)

    async def acknowledge_notifications(self, notification_ids: Iterable[int]) -> int:
        """The notifications shown (1..100 ids): the server deletes them. Returns how many it deleted."""
        request = pb.AckNotifications(notification_ids=list(notification_ids))
        answer = await self._client._call(pb.Envelope(ack_notifications=request), "AckNotifications",
                                          "notifications_acknowledged")
        return int(answer.deleted)

    async def _snapshot(self, envelope: pb.Envelope, name: str) -> MatchSnapshot:
        return from_proto(MatchSnapshot, await self._client._call(envelope, name, "match_snapshot"))

    def _follow(self, snapshot: MatchSnapshot) -> MatchSnapshot:
        info = snapshot.info
        if info.status in _OVER:
            self._followed.pop(info.match_id, None)
        else:
            self._followed[info.match_id] = max(self._followed.get(info.match_id, 0), info.ply)
        return snapshot

    def _on_event(self, event: pb.MatchEvent) -> None:
        info = from_proto(MatchInfo, event.info)
        if info.match_id in self._followed:
            if info.status in _OVER:
                self._followed.pop(info.match_id, None)
            else:
                self._followed[info.match_id] = max(self._followed[info.match_id], info.ply)
        kind = MatchEventKind(event.kind)
        move = from_proto(MoveRecord, event.move) if event.HasField("move") else None
        self._client._emit(MatchEvent(kind, info, move, event.view, tuple(event.legal_moves)))

    async def _resume(self) -> None:
        async def one(match_id: int, after_ply: int) -> None:
            try:
                snapshot = await self.open(match_id, after_ply)
            except GuildhallError as error:
                self._followed.pop(match_id, None)
                self._client._report(GuildhallError(f"resuming match {match_id}: {error}"))
                return
            missed = tuple(m for m in snapshot.moves if m.ply > after_ply)
            self._client._emit(MatchResumed(snapshot, missed))
        await asyncio.gather(*(one(m, p) for m, p in list(self._followed.items())))
