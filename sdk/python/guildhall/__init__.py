"""Guildhall's Python SDK: chat, turn-based matches, leaderboards, the matchmaker and real-time rooms over
WebSocket, TCP and UDP. Two APIs: asyncio (`async with guildhall.connect(...) as client`) and a game loop's
(`guildhall.Client(...)`, `client.poll()` once a frame). docs/sdk-python.md is the guide.
"""

from guildhall._connect import connect
from guildhall._version import __version__
from guildhall.client import AsyncClient
from guildhall.errors import (AuthFailed, ConnectionLost, ConnectionRefused, ConnectTimeout, GuildhallError,
                              NotConnected, ProtocolError, RequestTimeout, ServerClosed, ServerError, TimedOut,
                              UdpNotServed)
from guildhall.events import (ChatMessageReceived, Disconnected, ErrorEvent, Event, GaveUp, MatchEvent,
                              MatchmakerCancelled, MatchmakerMatched, MatchmakerTicketPushed, MatchResumed,
                              Notification, OpenMatchesChanged, Presence, Reconnected, Reconnecting, RoomClosed,
                              RoomEvent, RoomRejoined, RoomSnapshot)
from guildhall.http_login import LoginSession
from guildhall.options import ClientOptions, ReconnectOptions, TlsOptions
from guildhall.server_url import ServerUrl, parse_server_url
from guildhall.sync_client import Client
from guildhall.types import (ChannelJoined, ChatMessage, ConnectedInfo, HistoryPage, LeaderboardEntry,
                             LeaderboardPage, MatchAction, MatchEventKind, MatchInfo, MatchmakerRange,
                             MatchmakerTicket, MatchSnapshot, MatchStatus, Member, MemberChangeKind, MessageAccepted,
                             MoveRecord, NetworkStats, NotificationKind, OpenMatchChange, Player, PresenceKind,
                             RoomClosedReason, RoomInfo, RoomJoined, RoomMember, SeatChoice, TimeControl)

__all__ = [
    "__version__", "connect", "AsyncClient", "Client", "ClientOptions", "ReconnectOptions", "TlsOptions",
    "ServerUrl", "parse_server_url", "LoginSession",
    "GuildhallError", "ConnectionRefused", "TimedOut", "ConnectTimeout", "RequestTimeout", "ConnectionLost",
    "ServerClosed", "NotConnected", "ServerError", "AuthFailed", "ProtocolError", "UdpNotServed",
    "Event", "ChatMessageReceived", "Presence", "MatchEvent", "MatchResumed", "Notification", "OpenMatchesChanged",
    "RoomSnapshot", "RoomEvent", "RoomClosed", "RoomRejoined", "MatchmakerTicketPushed", "MatchmakerMatched",
    "MatchmakerCancelled", "Disconnected", "Reconnecting", "Reconnected", "GaveUp", "ErrorEvent",
    "ChannelJoined", "ChatMessage", "ConnectedInfo", "HistoryPage", "LeaderboardEntry", "LeaderboardPage",
    "MatchAction", "MatchEventKind", "MatchInfo", "MatchmakerRange", "MatchmakerTicket", "MatchSnapshot",
    "MatchStatus", "Member", "MemberChangeKind", "MessageAccepted", "MoveRecord", "NetworkStats",
    "NotificationKind", "OpenMatchChange", "Player", "PresenceKind", "RoomClosedReason", "RoomInfo", "RoomJoined",
    "RoomMember", "SeatChoice", "TimeControl",
]
