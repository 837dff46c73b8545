"""What the server and the connection tell a game without being asked: frozen dataclasses, read from
`AsyncClient.events()` or `Client.poll()`. Each push of the protocol has one; the connection's life has
Disconnected -> Reconnecting (one per attempt) -> Reconnected | GaveUp.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

from guildhall.errors import GuildhallError
from guildhall.types import (ChatMessage, MatchInfo, MatchmakerTicket, MatchSnapshot, Member, MemberChangeKind,
                             MoveRecord, MatchEventKind, NotificationKind, OpenMatchChange, PresenceKind,
                             RoomClosedReason, RoomJoined, RoomMember)


@dataclass(frozen=True)
class ChatMessageReceived:
    """A channel line or a direct message (`message.to_username` set), the player's own included."""
    message: ChatMessage


@dataclass(frozen=True)
class Presence:
    kind: PresenceKind
    channel: str
    member: Member


@dataclass(frozen=True)
class MatchEvent:
    """A change of a match this connection is subscribed to. MOVED carries `move`; a move that ends the game is one
    MOVED whose info.status is FINISHED."""
    kind: MatchEventKind
    info: MatchInfo
    move: MoveRecord | None
    view: str
    legal_moves: tuple[str, ...]


@dataclass(frozen=True)
class MatchResumed:
    """After a reconnection the SDK reopened this match from the last ply it saw: `missed_moves` are the moves
    made while the connection was down (maybe none), `snapshot` the match now."""
    snapshot: MatchSnapshot
    missed_moves: tuple[MoveRecord, ...]


@dataclass(frozen=True)
class Notification:
    """Stored by the server until acknowledged (matches.acknowledge_notifications): it may come again after each
    connect, so show each notification_id once."""
    notification_id: int
    kind: NotificationKind
    match_id: int
    game: str
    text: str
    created_at_ms: int


@dataclass(frozen=True)
class OpenMatchesChanged:
    """A live open-match list (matches.list_open(subscribe=True)): fold into the list by match_id."""
    kind: OpenMatchChange
    match: MatchInfo


@dataclass(frozen=True)
class RoomSnapshot:
    """One tick's world as this player sees it. `data` is the raw delta against `baseline_tick` (0: a full
    snapshot); `entities` is the world decoded: {entity id: guildhall.snapshot.EntityState}, read as
    `state["x"]` and `state.type_name` (or what a decoder set with rooms.set_snapshot_decoder returned; None when
    decoding is off)."""
    room_id: int
    tick: int
    baseline_tick: int
    data: bytes
    entities: Any = None


@dataclass(frozen=True)
class RoomEvent:
    """A reliable room event in seq order: a game event (`type`, `payload`) or a membership change."""
    room_id: int
    seq: int
    type: str
    payload: str
    member_change: MemberChangeKind
    member: RoomMember | None


@dataclass(frozen=True)
class RoomClosed:
    """This player is out of the room. UNSPECIFIED with a message: the SDK could not rejoin it after a
    reconnection (the grace ran out, or the room ended meanwhile)."""
    room_id: int
    reason: RoomClosedReason
    message: str


@dataclass(frozen=True)
class RoomRejoined:
    """After a reconnection the SDK joined the room again (the same seat when within the grace)."""
    joined: RoomJoined


@dataclass(frozen=True)
class MatchmakerTicketPushed:
    """A party member queued this player (the ticket names the party)."""
    ticket: MatchmakerTicket


@dataclass(frozen=True)
class MatchmakerMatched:
    """A match formed: join with rooms.join_reserved(room_id, reservation) soon, before the seat expires."""
    ticket: int
    room_id: int
    room_type: str
    reservation: str
    players: tuple[Member, ...]


@dataclass(frozen=True)
class MatchmakerCancelled:
    ticket: int
    reason: str


@dataclass(frozen=True)
class Disconnected:
    """The connection was lost (error: ConnectionLost, ServerClosed...). `will_retry`: Reconnecting follows."""
    error: GuildhallError
    will_retry: bool


@dataclass(frozen=True)
class Reconnecting:
    """Attempt `attempt` (1 for the first) starts in `delay_s`; `error` is why the last one failed."""
    attempt: int
    delay_s: float
    error: GuildhallError


@dataclass(frozen=True)
class Reconnected:
    """Back and authenticated; the channels, the room and the open matches are rejoined (their own events,
    RoomRejoined and MatchResumed, come before this one)."""
    attempt: int


@dataclass(frozen=True)
class GaveUp:
    """No more reconnection attempts: the client is closed. `error` is the last failure."""
    error: GuildhallError


@dataclass(frozen=True)
class ErrorEvent:
    """An error nobody awaited: a refused room input, a room or channel that could not be rejoined, a snapshot
    the decoder refused, an event queue overflow."""
    error: GuildhallError


Event = Union[ChatMessageReceived, Presence, MatchEvent, MatchResumed, Notification, OpenMatchesChanged,
              RoomSnapshot, RoomEvent, RoomClosed, RoomRejoined, MatchmakerTicketPushed, MatchmakerMatched,
              MatchmakerCancelled, Disconnected, Reconnecting, Reconnected, GaveUp, ErrorEvent]
