"""client.chat: channels, direct messages, history and members. Events: ChatMessageReceived, Presence.

Channel membership belongs to a connection: the SDK remembers the channels joined and joins them again after a
reconnection (ask history(channel) for what came while away).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from guildhall._proto import pb
from guildhall.errors import GuildhallError
from guildhall.types import ChannelJoined, HistoryPage, Member, MessageAccepted, from_proto

if TYPE_CHECKING:
    from guildhall.client import AsyncClient


class Chat:
    def __init__(self, client: "AsyncClient") -> None:
        self._client = client
        self._channels: set[str] = set()

    @property
    def channels(self) -> frozenset[str]:
        """The channels joined (and rejoined after each reconnection)."""
        return frozenset(self._channels)

    async def join(self, channel: str) -> ChannelJoined:
        """Joins (creating it if needed) `channel`: 1..64 of [A-Za-z0-9_.-]."""
        answer = await self._client._call(pb.Envelope(join_channel=pb.JoinChannel(channel=channel)),
                                          "JoinChannel", "channel_joined")
        self._channels.add(channel)
        return from_proto(ChannelJoined, answer)

    async def leave(self, channel: str) -> None:
        self._channels.discard(channel)
        await self._client._call(pb.Envelope(leave_channel=pb.LeaveChannel(channel=channel)),
                                 "LeaveChannel", "channel_left")

    async def send(self, channel: str, text: str) -> MessageAccepted:
        """Sends a line to a joined channel; answered once stored (the ChatMessageReceived push comes first)."""
        answer = await self._client._call(pb.Envelope(send_message=pb.SendMessage(channel=channel, text=text)),
                                          "SendMessage", "message_accepted")
        return from_proto(MessageAccepted, answer)

    async def send_direct(self, to_username: str, text: str) -> MessageAccepted:
        """A direct message; every connection of both people gets the push. NOT_FOUND for an unknown user."""
        answer = await self._client._call(pb.Envelope(send_direct=pb.SendDirect(to_username=to_username, text=text)),
                                          "SendDirect", "message_accepted")
        return from_proto(MessageAccepted, answer)

    async def history(self, channel: str, before_id: int = 0, limit: int = 0) -> HistoryPage:
        """Newest first; before_id 0: from the newest; limit 0: the server's default (50), at most 100."""
        request = pb.ChannelHistory(channel=channel, before_id=before_id, limit=limit)
        answer = await self._client._call(pb.Envelope(channel_history=request), "ChannelHistory", "history_page")
        return from_proto(HistoryPage, answer)

    async def direct_history(self, with_username: str, before_id: int = 0, limit: int = 0) -> HistoryPage:
        """The conversation between this player and `with_username`, newest first."""
        request = pb.DirectHistory(with_username=with_username, before_id=before_id, limit=limit)
        answer = await self._client._call(pb.Envelope(direct_history=request), "DirectHistory", "history_page")
        return from_proto(HistoryPage, answer)

    async def members(self, channel: str) -> tuple[Member, ...]:
        answer = await self._client._call(pb.Envelope(list_members=pb.ListMembers(channel=channel)),
                                          "ListMembers", "member_list")
        return tuple(from_proto(Member, m) for m in answer.members)

    async def _rejoin(self) -> None:
        async def one(channel: str) -> None:
            try:
                await self._client._call(pb.Envelope(join_channel=pb.JoinChannel(channel=channel)),
                                         "JoinChannel", "channel_joined")
            except GuildhallError as error:
                self._client._report(GuildhallError(f"rejoining #{channel}: {error}"))
        await asyncio.gather(*(one(channel) for channel in sorted(self._channels)))
