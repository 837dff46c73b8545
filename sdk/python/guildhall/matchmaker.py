"""client.matchmaker: queue for a room type and be placed with players the query accepts. Events:
MatchmakerMatched (join with rooms.join_reserved(room_id, reservation) soon), MatchmakerCancelled,
MatchmakerTicketPushed (a party member queued this player)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Mapping

from guildhall._proto import pb
from guildhall.types import MatchmakerRange, MatchmakerTicket, from_proto

if TYPE_CHECKING:
    from guildhall.client import AsyncClient


class Matchmaker:
    def __init__(self, client: "AsyncClient") -> None:
        self._client = client

    async def add(self, room_type: str, *, string_properties: Mapping[str, str] | None = None,
                  numeric_properties: Mapping[str, float] | None = None,
                  query_equal: Mapping[str, str] | None = None,
                  query_ranges: Mapping[str, MatchmakerRange] | None = None,
                  party: Iterable[str] = (), min_count: int = 0, max_count: int = 0) -> MatchmakerTicket:
        """Queues this player (and the `party` usernames) for a room of `room_type`. Properties describe the
        player; query_equal / query_ranges say whom they accept (mutually). Counts 0: the room's seats.
        ServerError ALREADY_QUEUED, NOT_ONLINE, ROOM_NOT_FOUND, INVALID_ARGUMENT when refused."""
        request = pb.MatchmakerAdd(room_type=room_type, party=list(party), min_count=min_count, max_count=max_count)
        request.string_properties.update(string_properties or {})
        request.numeric_properties.update(numeric_properties or {})
        request.query.equal.update(query_equal or {})
        for name, wanted in (query_ranges or {}).items():
            target = request.query.ranges[name]
            target.min, target.max = wanted.min, wanted.max
            if wanted.widen_per_second is not None:
                target.widen_per_second = wanted.widen_per_second
            if wanted.max_widen is not None:
                target.max_widen = wanted.max_widen
        answer = await self._client._call(pb.Envelope(matchmaker_add=request), "MatchmakerAdd", "matchmaker_ticket")
        return from_proto(MatchmakerTicket, answer)

    async def remove(self, ticket: int) -> None:
        """Leaves the queue (the party's other members get MatchmakerCancelled)."""
        await self._client._call(pb.Envelope(matchmaker_remove=pb.MatchmakerRemove(ticket=ticket)),
                                 "MatchmakerRemove", "matchmaker_removed")
