"""client.leaderboards: ratings per game (Glicko-2), the top or the players around one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from guildhall._proto import pb
from guildhall.types import LeaderboardPage, from_proto

if TYPE_CHECKING:
    from guildhall.client import AsyncClient


class Leaderboards:
    def __init__(self, client: "AsyncClient") -> None:
        self._client = client

    async def get(self, game: str, around: str = "", limit: int = 0) -> LeaderboardPage:
        """The top `limit` (0: 20, at most 100) of `game`, or the `limit` around the player named `around`."""
        request = pb.GetLeaderboard(game=game, around_username=around, limit=limit)
        answer = await self._client._call(pb.Envelope(get_leaderboard=request), "GetLeaderboard", "leaderboard_page")
        return from_proto(LeaderboardPage, answer)
