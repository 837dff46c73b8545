"""AsyncClient: the asyncio API. Logs in over HTTP, connects and authenticates, matches answers to requests,
turns pushes into events, keeps the connection alive and, once it was up, reconnects after a loss with backoff
and jitter, rejoining the chat channels, the room (within its grace) and the open matches with the moves missed.

    async with guildhall.connect("ws://127.0.0.1:9700/ws", username="ada", password="...") as client:
        await client.chat.join("lobby")
        await client.chat.send("lobby", "hi")
        async for event in client.events():
            ...

Threading: an AsyncClient belongs to the asyncio loop it was first used on; call it from that loop only (the
game-loop API, guildhall.Client, runs one on a thread of its own). rooms.send_input is the one exception: it may
be called from any thread.
"""

from __future__ import annotations

import asyncio
import collections
import random
from typing import Any, AsyncIterator, Callable

from guildhall import http_login
from guildhall._proto import pb
from guildhall.chat import Chat
from guildhall.connection import Link
from guildhall.errors import (AuthFailed, ConnectionLost, ConnectionRefused, ConnectTimeout, GuildhallError,
                              NotConnected, UdpNotServed, worth_reconnecting)
from guildhall.events import (ChatMessageReceived, Disconnected, ErrorEvent, Event, GaveUp, MatchmakerCancelled,
                              MatchmakerMatched, MatchmakerTicketPushed, Notification, OpenMatchesChanged,
                              Presence, Reconnected, Reconnecting)
from guildhall.http_login import LoginSession
from guildhall.leaderboards import Leaderboards
from guildhall.matches import Matches
from guildhall.matchmaker import Matchmaker
from guildhall.options import ClientOptions
from guildhall.rooms import Rooms
from guildhall.server_url import ServerUrl, parse_server_url
from guildhall.types import (ChatMessage, ConnectedInfo, MatchInfo, MatchmakerTicket, Member, NetworkStats,
                             NotificationKind, OpenMatchChange, PresenceKind, from_proto)

EventSink = Callable[[Event], None]


class AsyncClient:
    """See the module docstring. Namespaces: chat, matches, leaderboards, matchmaker, rooms."""

    def __init__(self, url: str | ServerUrl, options: ClientOptions | None = None, *,
                 session: LoginSession | None = None, event_sink: EventSink | None = None) -> None:
        """`url`: ws://, wss://, tcp://, tls://, udp://, udps:// (guildhall.server_url). `session`: tokens kept from
        an earlier login. `event_sink`: called on the loop with each event instead of queueing it for events()
        (guildhall.Client uses it). Raises ValueError for a bad URL or options."""
        self.url = url if isinstance(url, ServerUrl) else parse_server_url(url)
        self.options = options or ClientOptions()
        self.options.validate()
        self._session = session
        self._sink = event_sink
        self._queue: collections.deque[Event] = collections.deque()
        self._queue_signal: asyncio.Event | None = None
        self.events_dropped = 0
        self._link: Link | None = None
        self._me: ConnectedInfo | None = None
        self._closed = False
        self._ever_connected = False
        self._udp_fell_back = False  # a udp:// client on WebSocket for good (options.udp_fallback)
        self._supervisor: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ping_rtt_ms = 0.0
        self.chat = Chat(self)
        self.matches = Matches(self)
        self.leaderboards = Leaderboards(self)
        self.matchmaker = Matchmaker(self)
        self.rooms = Rooms(self)

    # ---- Account (HTTP): each stores the session connect() uses --------------------------------------------------

    async def register(self, username: str, password: str) -> LoginSession:
        """Creates the account and logs in. ServerError USERNAME_TAKEN / INVALID_ARGUMENT when refused."""
        self._session = await http_login.register(self.url, username, password, self.options)
        return self._session

    async def login(self, username: str, password: str) -> LoginSession:
        """Password login; AuthFailed when wrong."""
        self._session = await http_login.login(self.url, username, password, self.options)
        return self._session

    async def login_guest(self, device_id: str) -> LoginSession:
        """The guest account of this device id (8..128 of [A-Za-z0-9_.-])."""
        self._session = await http_login.login_guest(self.url, device_id, self.options)
        return self._session

    async def login_refresh(self, refresh_token: str) -> LoginSession:
        """Logs in with a refresh token kept from an earlier session; the token is spent (keep session's new one)."""
        self._session = await http_login.refresh(self.url, refresh_token, self.options)
        return self._session

    async def logout(self) -> None:
        """Revokes this login's refresh tokens and closes the connection."""
        if self._session is not None:
            await http_login.logout(self.url, self._session.refresh_token, self.options)
        await self.close()

    @property
    def session(self) -> LoginSession | None:
        """The newest tokens (a reconnection may have refreshed them); None before a login."""
        return self._session

    def set_session(self, session: LoginSession) -> None:
        """Uses tokens kept from an earlier run for connect() instead of logging in again (an expired access token
        is refreshed with the refresh token when connecting)."""
        self._session = session

    # ---- Connection ------------------------------------------------------------------------------------------

    @property
    def me(self) -> ConnectedInfo | None:
        """Who this connection is, once connected."""
        return self._me

    @property
    def connected(self) -> bool:
        return self._link is not None and self._link.alive

    @property
    def transport_kind(self) -> str:
        """"websocket", "tcp", "udp" while connected (a udp:// client that fell back: "websocket"), else ""."""
        return self._link.transport.kind if self._link is not None and self._link.alive else ""

    @property
    def bytes_received(self) -> int:
        """Read on the connection in use (a reconnection starts again from 0), framing included."""
        return self._link.transport.bytes_received if self._link is not None else 0

    @property
    def rtt_ms(self) -> float:
        """The newest ping() round trip (0 before one)."""
        return self._ping_rtt_ms

    @property
    def network(self) -> NetworkStats:
        """The connection in use, for a network display: over UDP the message layer's round trip and loss, measured
        all the time; over TCP and WebSocket the newest ping() and no loss. Zeros while not connected."""
        link = self._link
        if link is None or not link.alive:
            return NetworkStats("", 0.0, 0.0, 0)
        transport = link.transport
        if transport.kind == "udp":
            return NetworkStats("udp", float(getattr(transport, "rtt_ms", 0.0)),
                                float(getattr(transport, "packet_loss", 0.0)), transport.bytes_received)
        return NetworkStats(transport.kind, self._ping_rtt_ms, 0.0, transport.bytes_received)

    async def connect(self) -> ConnectedInfo:
        """Connects and authenticates with the session's access token (refreshing it once if it expired). The first
        connection is never retried: ConnectionRefused, ConnectTimeout, ConnectionLost, AuthFailed come at once
        (a udp:// client tries WebSocket once first, see ClientOptions.udp_fallback, and raises what that raised).
        Raises NotConnected without a session."""
        if self._closed:
            raise NotConnected("the client is closed")
        self._loop = asyncio.get_running_loop()
        await self._open_link()
        self._ever_connected = True
        assert self._me is not None
        return self._me

    async def _open_link(self) -> None:
        if self._session is None:
            raise NotConnected("log in first: no session to connect with")
        url = self.url.with_kind("websocket") if self._udp_fell_back else self.url
        try:
            link, me = await self._open_authenticated(url)
        except (ConnectionRefused, ConnectTimeout) as error:
            if not self._falls_back(error):
                raise
            link, me = await self._open_authenticated(self.url.with_kind("websocket"))
            self._udp_fell_back = True  # only once WebSocket worked: a server that was down gets UDP next time
        if self._closed:
            await link.close()
            raise NotConnected("the client was closed while connecting")
        self._link = link
        self._me = ConnectedInfo(me.user_id, me.username, me.session_id)
        link.watch(self._on_lost)

    async def _open_authenticated(self, url: ServerUrl) -> tuple[Link, Any]:
        """Link.open with the session's access token, refreshed once if it expired."""
        assert self._session is not None
        try:
            return await Link.open(url, self.options, self._session.access_token, self._on_push)
        except AuthFailed as error:
            if error.code != "TOKEN_EXPIRED" or not self._session.refresh_token:
                raise
            self._session = await http_login.refresh(self.url, self._session.refresh_token, self.options)
            return await Link.open(url, self.options, self._session.access_token, self._on_push)

    def _falls_back(self, error: GuildhallError) -> bool:
        """The C++ SDK's `automatic`: a udp:// client tries WebSocket when the server serves no UDP (at any time: a
        server restarted with UDP off) or when its first connection over UDP failed (no answer: a firewall; denied:
        full). Once connected over UDP, a failure is a loss to retry over UDP."""
        if self.url.kind != "udp" or self._udp_fell_back or not self.options.udp_fallback:
            return False
        return isinstance(error, UdpNotServed) or not self._ever_connected

    async def close(self) -> None:
        """Closes the connection (1000) and stops reconnecting; pending calls fail with NotConnected. Idempotent."""
        self._closed = True
        if self._supervisor is not None and self._supervisor is not asyncio.current_task():
            self._supervisor.cancel()
        link, self._link = self._link, None
        if link is not None:
            await link.close(1000, "bye")
        self._wake_readers()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()

    async def ping(self) -> float:
        """One round trip to the server, in milliseconds."""
        start = asyncio.get_running_loop().time()
        await self._call(pb.Envelope(ping=pb.Ping(client_time_ms=0)), "Ping", "pong")
        self._ping_rtt_ms = (asyncio.get_running_loop().time() - start) * 1000.0
        return self._ping_rtt_ms

    # ---- Events ----------------------------------------------------------------------------------------------

    def _emit(self, event: Event) -> None:
        if self._sink is not None:
            self._sink(event)
            return
        if len(self._queue) >= self.options.max_queued_events:
            self._queue.popleft()  # a reader this far behind wants the newest state more than the oldest
            self.events_dropped += 1
        self._queue.append(event)
        self._wake_readers()

    def _wake_readers(self) -> None:
        if self._queue_signal is not None:
            self._queue_signal.set()

    def pending_events(self) -> list[Event]:
        """The events queued now, without waiting (empty with an event_sink)."""
        events = list(self._queue)
        self._queue.clear()
        return events

    async def next_event(self, timeout_s: float | None = None) -> Event:
        """The next event; raises asyncio.TimeoutError past `timeout_s`, NotConnected once closed and drained."""
        async def wait() -> Event:
            while not self._queue:
                if self._closed:
                    raise NotConnected("the client is closed")
                if self._queue_signal is None:
                    self._queue_signal = asyncio.Event()
                self._queue_signal.clear()
                await self._queue_signal.wait()
            return self._queue.popleft()
        return await asyncio.wait_for(wait(), timeout_s)

    async def events(self) -> AsyncIterator[Event]:
        """Every event, as it comes; ends when the client is closed (close() or GaveUp)."""
        while True:
            try:
                yield await self.next_event()
            except NotConnected:
                return

    async def wait_for(self, predicate: Callable[[Event], bool], timeout_s: float) -> Event:
        """The first event satisfying `predicate` within `timeout_s` (others before it are dropped).
        Raises asyncio.TimeoutError."""
        async def scan() -> Event:
            while True:
                event = await self.next_event()
                if predicate(event):
                    return event
        return await asyncio.wait_for(scan(), timeout_s)

    # ---- Requests, for the namespaces ------------------------------------------------------------------------

    async def _call(self, envelope: pb.Envelope, name: str, answer: str) -> Any:
        link = self._link
        if link is None or not link.alive:
            raise NotConnected(f"{name}: not connected" + (" (reconnecting)" if self._supervisor else ""))
        return await link.request(envelope, name, answer)

    async def _send(self, envelope: pb.Envelope, unreliable: bool = False) -> None:
        link = self._link
        if link is None or not link.alive:
            raise NotConnected("not connected")
        await link.send(envelope, unreliable)

    def _send_soon(self, envelope: pb.Envelope, unreliable: bool,
                   still_wanted: Callable[[], bool] | None = None) -> None:
        """Sends from any thread, without waiting; a failure is the reader's to report. `still_wanted`, asked on the
        loop just before sending: False drops the message (a room input for a room left in the meantime, which the
        server would answer with an Error)."""
        loop = self._loop
        if loop is None:
            raise NotConnected("not connected")

        async def send() -> None:
            if still_wanted is not None and not still_wanted():
                return
            try:
                await self._send(envelope, unreliable)
            except GuildhallError:
                pass
        running: asyncio.AbstractEventLoop = loop  # the lambda outlives the narrowing of `loop`
        loop.call_soon_threadsafe(lambda: running.create_task(send()))

    # ---- Pushes --------------------------------------------------------------------------------------------

    def _on_push(self, envelope: pb.Envelope) -> None:
        body = envelope.WhichOneof("body")
        handler = _PUSH_HANDLERS.get(body) if body is not None else None
        if handler is not None:
            handler(self, getattr(envelope, body))

    # ---- Reconnection ----------------------------------------------------------------------------------------

    def _on_lost(self, error: GuildhallError) -> None:
        self._link = None
        if self._closed:
            return
        self._supervisor = asyncio.get_running_loop().create_task(self._reconnect(error))

    async def _reconnect(self, error: GuildhallError) -> None:
        policy = self.options.reconnect
        if not policy.enabled or not worth_reconnecting(error):
            self._emit(Disconnected(error, False))
            return await self._give_up(error)
        self._emit(Disconnected(error, True))
        attempt = 0
        while not self._closed:
            attempt += 1
            if policy.max_attempts is not None and attempt > policy.max_attempts:
                return await self._give_up(error)
            delay_s = policy.delay_s(attempt, random.random())
            self._emit(Reconnecting(attempt, delay_s, error))
            await asyncio.sleep(delay_s)
            try:
                await self._open_link()
            except GuildhallError as failure:
                error = failure
                if isinstance(failure, AuthFailed) or not worth_reconnecting(failure):
                    return await self._give_up(failure)
                continue
            except (OSError, ValueError) as failure:  # unexpected, but the supervisor must not die silently
                error = ConnectionLost(f"reconnecting failed: {failure!r}")
                continue
            if policy.rejoin:
                await self._resume()
            self._supervisor = None
            self._emit(Reconnected(attempt))
            return

    async def _resume(self) -> None:
        """Rejoins what the server forgot with the old connection: channels, the room, the open matches."""
        await asyncio.gather(self.chat._rejoin(), self.rooms._rejoin(), self.matches._resume())

    async def _give_up(self, error: GuildhallError) -> None:
        self._supervisor = None
        self._emit(GaveUp(error))
        await self.close()

    def _report(self, error: GuildhallError) -> None:
        self._emit(ErrorEvent(error))


def _chat_message(client: AsyncClient, message: Any) -> None:
    client._emit(ChatMessageReceived(from_proto(ChatMessage, message)))


def _presence(client: AsyncClient, presence: Any) -> None:
    client._emit(Presence(PresenceKind(presence.kind), presence.channel, from_proto(Member, presence.member)))


def _notification(client: AsyncClient, n: Any) -> None:
    client._emit(Notification(n.notification_id, NotificationKind(n.kind), n.match_id, n.game, n.text,
                              n.created_at_ms))


def _open_matches_changed(client: AsyncClient, change: Any) -> None:
    client._emit(OpenMatchesChanged(OpenMatchChange(change.kind), from_proto(MatchInfo, change.match)))


def _matchmaker_ticket(client: AsyncClient, ticket: Any) -> None:
    client._emit(MatchmakerTicketPushed(from_proto(MatchmakerTicket, ticket)))


def _matchmaker_matched(client: AsyncClient, m: Any) -> None:
    players = tuple(from_proto(Member, p) for p in m.players)
    client._emit(MatchmakerMatched(m.ticket, m.room_id, m.room_type, m.reservation, players))


def _matchmaker_cancelled(client: AsyncClient, m: Any) -> None:
    client._emit(MatchmakerCancelled(m.ticket, m.reason))


def _error(client: AsyncClient, error: Any) -> None:
    from guildhall.connection import error_from_reply
    client._report(error_from_reply(error, "(pushed)"))


_PUSH_HANDLERS: dict[str, Callable[[AsyncClient, Any], None]] = {
    "chat_message": _chat_message,
    "presence": _presence,
    "match_event": lambda client, event: client.matches._on_event(event),
    "notification": _notification,
    "open_matches_changed": _open_matches_changed,
    "room_snapshot": lambda client, snapshot: client.rooms._on_snapshot(snapshot),
    "room_event": lambda client, event: client.rooms._on_event(event),
    "room_closed": lambda client, closed: client.rooms._on_closed(closed),
    "matchmaker_ticket": _matchmaker_ticket,
    "matchmaker_matched": _matchmaker_matched,
    "matchmaker_cancelled": _matchmaker_cancelled,
    "error": _error,
}
