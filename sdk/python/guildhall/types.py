"""Value types: plain frozen copies of the server's messages (docs/protocol.md), one dataclass per message the
SDK hands out, with the protocol's field names. Enums are IntEnums with the protocol's numbers. `from_proto`
builds any of them from its protobuf message by field name.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


class PresenceKind(enum.IntEnum):
    UNSPECIFIED = 0
    JOINED = 1     # joined the channel
    LEFT = 2       # left with LeaveChannel
    ONLINE = 3     # joined again within the presence grace of going offline: "back"
    OFFLINE = 4    # their last connection in the channel closed without leaving


class MatchStatus(enum.IntEnum):
    UNSPECIFIED = 0
    OPEN = 1
    ACTIVE = 2
    FINISHED = 3
    ABORTED = 4


class MatchEventKind(enum.IntEnum):
    UNSPECIFIED = 0
    MOVED = 1
    PLAYER_JOINED = 2
    STARTED = 3
    DRAW_OFFERED = 4
    DRAW_DECLINED = 5
    ENDED = 6
    PLAYER_LEFT = 7


class MatchAction(enum.IntEnum):
    RESIGN = 1
    OFFER_DRAW = 2
    ACCEPT_DRAW = 3
    DECLINE_DRAW = 4
    ABORT = 5


class SeatChoice(enum.IntEnum):
    ANY = 0
    FIRST = 1      # moves first (chess: white)
    SECOND = 2


class NotificationKind(enum.IntEnum):
    UNSPECIFIED = 0
    YOUR_TURN = 1
    GAME_OVER = 2
    INVITED = 3


class OpenMatchChange(enum.IntEnum):
    UNSPECIFIED = 0
    ADDED = 1
    UPDATED = 2
    REMOVED = 3


class MemberChangeKind(enum.IntEnum):
    NONE = 0       # not a membership change: a game event
    JOINED = 1
    LEFT = 2
    DROPPED = 3    # connection lost: the seat is kept for the reconnection grace
    RETURNED = 4


class RoomClosedReason(enum.IntEnum):
    UNSPECIFIED = 0  # also: the SDK could not rejoin the room after a reconnection
    ENDED = 1
    KICKED = 2
    REPLACED = 3
    DISPOSED = 4
    SHUTDOWN = 5


@dataclass(frozen=True)
class ConnectedInfo:
    """Who this connection is, once authenticated."""
    user_id: int
    username: str
    session_id: int  # the server's id of this connection, for logs and support


@dataclass(frozen=True)
class NetworkStats:
    """What the connection in use is doing, for a game's network display and for tuning; zeros and "" while not
    connected (the C++ SDK's network_stats)."""
    transport: str        # "udp", "websocket" or "tcp": what the client ended up on (a udp:// URL may fall back)
    # UDP: the message layer's smoothed round trip, measured all the time (0 before the first sample). TCP and
    # WebSocket: the newest ping() round trip (0 before one).
    rtt_ms: float
    packet_loss: float    # UDP: the fraction (0..1) of packets lost; 0 over TCP, which resends what is lost
    bytes_received: int   # on the connection in use (a reconnection starts from 0), framing included


@dataclass(frozen=True)
class Member:
    user_id: int = 0
    username: str = ""


@dataclass(frozen=True)
class ChatMessage:
    """A channel line (`channel` set) or a direct message (`to_username` set). Ids grow with time."""
    message_id: int = 0
    channel: str = ""
    from_user_id: int = 0
    from_username: str = ""
    to_username: str = ""
    text: str = ""
    sent_at_ms: int = 0  # Unix ms, server clock


@dataclass(frozen=True)
class ChannelJoined:
    channel: str = ""
    members: tuple[Member, ...] = ()  # everyone in it now, this player included


@dataclass(frozen=True)
class MessageAccepted:
    message_id: int = 0
    sent_at_ms: int = 0


@dataclass(frozen=True)
class HistoryPage:
    """Newest first; pass next_before_id as before_id for the page before (0: this was the last page)."""
    messages: tuple[ChatMessage, ...] = ()
    next_before_id: int = 0


@dataclass(frozen=True)
class TimeControl:
    initial_ms: int = 0    # 0: no clock (correspondence)
    increment_ms: int = 0


@dataclass(frozen=True)
class Player:
    user_id: int = 0       # 0: a free seat
    username: str = ""
    bot: bool = False
    rating: int = 0
    invited: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchResult:
    winner: int = 0        # seat; -1 for a draw
    reason: str = ""


@dataclass(frozen=True)
class MoveRecord:
    ply: int = 0           # 1 for the first move
    seat: int = 0
    move: str = ""         # canonical (chess: UCI)
    display: str = ""      # for people (chess: SAN)
    at_ms: int = 0
    clock_ms: int = 0      # the mover's time left after the move and its increment


@dataclass(frozen=True)
class MatchInfo:
    match_id: int = 0
    game: str = ""
    status: MatchStatus = MatchStatus.UNSPECIFIED
    players: tuple[Player, ...] = ()
    to_move: int = -1
    ply: int = 0
    time_control: TimeControl = TimeControl()
    clock_ms: tuple[int, ...] = ()
    clock_at_ms: int = 0
    rated: bool = False
    result: MatchResult = MatchResult()
    draw_offered_by: int = -1
    options: dict[str, str] = field(default_factory=dict)
    created_at_ms: int = 0
    clock_running: bool = False
    creator_online: bool = False


@dataclass(frozen=True)
class MatchSnapshot:
    """The match as this player sees it: the answer to create, join, open and act."""
    info: MatchInfo = MatchInfo()
    your_seat: int = -1               # -1: a spectator
    view: str = ""                    # the game's view (chess: FEN; tictactoe: nine of X, O, .)
    moves: tuple[MoveRecord, ...] = ()
    legal_moves: tuple[str, ...] = ()  # only for the player to move


@dataclass(frozen=True)
class LeaderboardEntry:
    rank: int = 0
    user_id: int = 0
    username: str = ""
    rating: int = 0
    deviation: int = 0
    games: int = 0
    wins: int = 0
    losses: int = 0
    draws: int = 0


@dataclass(frozen=True)
class LeaderboardPage:
    game: str = ""
    entries: tuple[LeaderboardEntry, ...] = ()


@dataclass(frozen=True)
class MatchmakerRange:
    min: float = 0.0
    max: float = 0.0
    widen_per_second: float | None = None  # None: the server's default
    max_widen: float | None = None


@dataclass(frozen=True)
class MatchmakerTicket:
    ticket: int = 0
    room_type: str = ""
    party: tuple[Member, ...] = ()


@dataclass(frozen=True)
class RoomInfo:
    room_id: int = 0
    type: str = ""
    label: str = ""        # the game's flat JSON object
    players: int = 0
    max_players: int = 0
    spectators: int = 0
    locked: bool = False
    private: bool = False


@dataclass(frozen=True)
class RoomMember:
    user_id: int = 0
    username: str = ""
    seat: int = -1         # -1: a spectator
    spectator: bool = False
    connected: bool = True  # false while within the reconnection grace


@dataclass(frozen=True)
class RoomJoined:
    """The answer to a room create or join. `schema_json` describes the snapshots' entities."""
    room: RoomInfo = RoomInfo()
    you: RoomMember = RoomMember()
    schema_json: str = ""
    tick_hz: int = 0
    server_tick: int = 0
    members: tuple[RoomMember, ...] = ()
    returned: bool = False      # back in a seat kept through the reconnection grace
    next_event_seq: int = 0
    events_lost: bool = False
    max_input_bytes: int = 0
    max_inputs_per_tick: int = 0


# ---- Conversion from the protobuf messages ----------------------------------------------------------------------

Converter = typing.Callable[[Any], Any]


def _enum_converter(kind: type[enum.IntEnum]) -> Converter:
    def convert(value: Any) -> Any:
        try:
            return kind(value)
        except ValueError:  # a newer server's value: keep the number rather than fail
            return value
    return convert


def _converter(hint: Any) -> Converter | None:
    """How a field of type `hint` is built from the protobuf value (None: as it is). Decided once per field: a
    chat line or a snapshot push is converted on every arrival, and asking typing each time cost a fifth of the
    CPU of a chat message (bench/run.sh sdk-python)."""
    origin = typing.get_origin(hint)
    if origin is tuple:
        item = _converter(typing.get_args(hint)[0])
        if item is None:
            return tuple
        convert_item: Converter = item  # the lambda outlives the narrowing of `item`
        return lambda value: tuple(convert_item(v) for v in value)
    if origin is dict:
        return dict
    if dataclasses.is_dataclass(hint):
        return lambda value: from_proto(hint, value)
    if isinstance(hint, type) and issubclass(hint, enum.IntEnum):
        return _enum_converter(hint)
    return None


@functools.cache
def _plan(cls: type) -> tuple[tuple[str, Converter | None], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((item.name, _converter(hints[item.name])) for item in dataclasses.fields(cls))


def from_proto(cls: type[T], message: Any) -> T:
    """An instance of dataclass `cls` from the protobuf `message` with the same field names."""
    values = {}
    plan_key: type = cls  # a class is hashable; mypy cannot see that through the bare TypeVar of type[T]
    for name, convert in _plan(plan_key):
        value = getattr(message, name)
        values[name] = value if convert is None else convert(value)
    return cls(**values)
