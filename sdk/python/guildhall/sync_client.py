"""guildhall.Client: the game-loop API. For programs that own their main loop (Pygame): every call returns at once
with a concurrent.futures.Future, and poll(), once a frame, returns the events that arrived and never blocks.

    client = guildhall.Client("ws://127.0.0.1:9700/ws")
    client.login_guest("my-device-0001").result(15)   # blocking here is fine: before the game loop
    client.connect().result(15)
    client.chat.join("lobby")
    while running:
        for event in client.poll():
            ...
        client.chat.send("lobby", "hi", callback=lambda f: print(f.exception() or "sent"))

Threading: an AsyncClient runs on an asyncio loop in a daemon thread of its own. Calls may come from any thread
and return a Future at once (its result()/exception() are the AsyncClient call's). A `callback` given to a call
runs on the thread that calls poll(), inside poll(), with the finished Future: never on the network thread, so
it may touch the game's state freely. Events are queued by the network thread and handed out by poll().
"""

from __future__ import annotations

import asyncio
import queue
import threading
from concurrent.futures import Future
from typing import Any, Callable, Coroutine, Iterable, Mapping, TypeVar

from guildhall.client import AsyncClient
from guildhall.events import Event
from guildhall.http_login import LoginSession
from guildhall.options import ClientOptions
from guildhall.rooms import SnapshotDecoderFactory
from guildhall.types import (ChannelJoined, ConnectedInfo, HistoryPage, LeaderboardPage, MatchAction, MatchInfo,
                             MatchmakerRange, MatchmakerTicket, MatchSnapshot, Member, MessageAccepted, MoveRecord,
                             NetworkStats, RoomInfo, RoomJoined, SeatChoice)

T = TypeVar("T")
Callback = Callable[["Future[Any]"], object]  # what it returns is ignored


class Client:
    """See the module docstring. Namespaces: chat, matches, leaderboards, matchmaker, rooms."""

    def __init__(self, url: str, options: ClientOptions | None = None, *, session: LoginSession | None = None) -> None:
        """Starts the network thread. Raises ValueError for a bad URL or options."""
        self._events: queue.SimpleQueue[Event] = queue.SimpleQueue()
        self._done: queue.SimpleQueue[tuple[Callback, Future[Any]]] = queue.SimpleQueue()
        self._loop = asyncio.new_event_loop()
        self._async = AsyncClient(url, options, session=session, event_sink=self._events.put)
        self._thread = threading.Thread(target=self._loop.run_forever, name="guildhall-network", daemon=True)
        self._thread.start()
        self.chat = _Chat(self)
        self.matches = _Matches(self)
        self.leaderboards = _Leaderboards(self)
        self.matchmaker = _Matchmaker(self)
        self.rooms = _Rooms(self)

    @property
    def async_client(self) -> AsyncClient:
        """The AsyncClient underneath (its loop is the network thread's: use it only from there)."""
        return self._async

    def _submit(self, call: Coroutine[Any, Any, T], callback: Callback | None) -> "Future[T]":
        future = asyncio.run_coroutine_threadsafe(call, self._loop)
        if callback is not None:
            run_later: Callback = callback  # the lambda outlives the narrowing of `callback`
            future.add_done_callback(lambda done: self._done.put((run_later, done)))
        return future

    def poll(self) -> list[Event]:
        """Runs the callbacks of calls that finished, then returns the events that arrived, oldest first. Never
        blocks: a few microseconds when nothing happened."""
        while True:
            try:
                callback, future = self._done.get_nowait()
            except queue.Empty:
                break
            callback(future)
        events = []
        while True:
            try:
                events.append(self._events.get_nowait())
            except queue.Empty:
                return events

    # ---- Account and connection ------------------------------------------------------------------------------

    def register(self, username: str, password: str, callback: Callback | None = None) -> "Future[LoginSession]":
        return self._submit(self._async.register(username, password), callback)

    def login(self, username: str, password: str, callback: Callback | None = None) -> "Future[LoginSession]":
        return self._submit(self._async.login(username, password), callback)

    def login_guest(self, device_id: str, callback: Callback | None = None) -> "Future[LoginSession]":
        return self._submit(self._async.login_guest(device_id), callback)

    def login_refresh(self, refresh_token: str, callback: Callback | None = None) -> "Future[LoginSession]":
        return self._submit(self._async.login_refresh(refresh_token), callback)

    def connect(self, callback: Callback | None = None) -> "Future[ConnectedInfo]":
        """Connects with the last login's tokens; fails at once (ConnectionRefused...) rather than retrying."""
        return self._submit(self._async.connect(), callback)

    def ping(self, callback: Callback | None = None) -> "Future[float]":
        return self._submit(self._async.ping(), callback)

    @property
    def session(self) -> LoginSession | None:
        return self._async.session

    def set_session(self, session: LoginSession) -> None:
        """See AsyncClient.set_session; call it before connect()."""
        self._loop.call_soon_threadsafe(self._async.set_session, session)

    @property
    def me(self) -> ConnectedInfo | None:
        return self._async.me

    @property
    def connected(self) -> bool:
        return self._async.connected

    @property
    def network(self) -> NetworkStats:
        """AsyncClient.network: transport, round trip, loss and bytes of the connection in use (read from any
        thread: a snapshot of numbers the network thread updates)."""
        return self._async.network

    def close(self, timeout_s: float = 5.0) -> None:
        """Closes the connection and stops the network thread (waits at most timeout_s). Idempotent."""
        if not self._loop.is_running():
            return
        try:
            asyncio.run_coroutine_threadsafe(self._async.close(), self._loop).result(timeout_s)
        except Exception:  # closing is best effort
            pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout_s)
        if not self._thread.is_alive():
            self._loop.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


class _Namespace:
    def __init__(self, owner: Client) -> None:
        self._owner = owner
        self._client = owner._async

    def _submit(self, call: Coroutine[Any, Any, T], callback: Callback | None) -> "Future[T]":
        return self._owner._submit(call, callback)


class _Chat(_Namespace):
    def join(self, channel: str, callback: Callback | None = None) -> "Future[ChannelJoined]":
        return self._submit(self._client.chat.join(channel), callback)

    def leave(self, channel: str, callback: Callback | None = None) -> "Future[None]":
        return self._submit(self._client.chat.leave(channel), callback)

    def send(self, channel: str, text: str, callback: Callback | None = None) -> "Future[MessageAccepted]":
        return self._submit(self._client.chat.send(channel, text), callback)

    def send_direct(self, to_username: str, text: str,
                    callback: Callback | None = None) -> "Future[MessageAccepted]":
        return self._submit(self._client.chat.send_direct(to_username, text), callback)

    def history(self, channel: str, before_id: int = 0, limit: int = 0,
                callback: Callback | None = None) -> "Future[HistoryPage]":
        return self._submit(self._client.chat.history(channel, before_id, limit), callback)

    def direct_history(self, with_username: str, before_id: int = 0, limit: int = 0,
                       callback: Callback | None = None) -> "Future[HistoryPage]":
        return self._submit(self._client.chat.direct_history(with_username, before_id, limit), callback)

    def members(self, channel: str, callback: Callback | None = None) -> "Future[tuple[Member, ...]]":
        return self._submit(self._client.chat.members(channel), callback)


class _Matches(_Namespace):
    def create(self, game: str = "chess", *, callback: Callback | None = None, options: Mapping[str, str] | None = None,
               invite: Iterable[str] = (), bot: bool = False, bot_skill_level: int = 0, bot_move_time_ms: int = 0,
               rated: bool = False, initial_ms: int = 0, increment_ms: int = 0,
               seat: SeatChoice = SeatChoice.ANY) -> "Future[MatchSnapshot]":
        call = self._client.matches.create(game, options=options, invite=tuple(invite), bot=bot,
                                           bot_skill_level=bot_skill_level, bot_move_time_ms=bot_move_time_ms,
                                           rated=rated, initial_ms=initial_ms, increment_ms=increment_ms, seat=seat)
        return self._submit(call, callback)

    def list_open(self, game: str = "", subscribe: bool = False,
                  callback: Callback | None = None) -> "Future[tuple[MatchInfo, ...]]":
        return self._submit(self._client.matches.list_open(game, subscribe), callback)

    def join(self, match_id: int, callback: Callback | None = None) -> "Future[MatchSnapshot]":
        return self._submit(self._client.matches.join(match_id), callback)

    def open(self, match_id: int, after_ply: int = 0, callback: Callback | None = None) -> "Future[MatchSnapshot]":
        return self._submit(self._client.matches.open(match_id, after_ply), callback)

    def move(self, match_id: int, move: str, expected_ply: int | None = None,
             callback: Callback | None = None) -> "Future[MoveRecord]":
        return self._submit(self._client.matches.move(match_id, move, expected_ply), callback)

    def act(self, match_id: int, action: MatchAction, callback: Callback | None = None) -> "Future[MatchSnapshot]":
        return self._submit(self._client.matches.act(match_id, action), callback)

    def leave(self, match_id: int, callback: Callback | None = None) -> "Future[None]":
        return self._submit(self._client.matches.leave(match_id), callback)

    def list_mine(self, include_finished: bool = False,
                  callback: Callback | None = None) -> "Future[tuple[MatchInfo, ...]]":
        return self._submit(self._client.matches.list_mine(include_finished), callback)

    def acknowledge_notifications(self, notification_ids: Iterable[int],
                                  callback: Callback | None = None) -> "Future[int]":
        return self._submit(self._client.matches.acknowledge_notifications(tuple(notification_ids)), callback)


class _Leaderboards(_Namespace):
    def get(self, game: str, around: str = "", limit: int = 0,
            callback: Callback | None = None) -> "Future[LeaderboardPage]":
        return self._submit(self._client.leaderboards.get(game, around, limit), callback)


class _Matchmaker(_Namespace):
    def add(self, room_type: str, *, callback: Callback | None = None,
            string_properties: Mapping[str, str] | None = None,
            numeric_properties: Mapping[str, float] | None = None, query_equal: Mapping[str, str] | None = None,
            query_ranges: Mapping[str, MatchmakerRange] | None = None, party: Iterable[str] = (),
            min_count: int = 0, max_count: int = 0) -> "Future[MatchmakerTicket]":
        call = self._client.matchmaker.add(room_type, string_properties=string_properties,
                                           numeric_properties=numeric_properties, query_equal=query_equal,
                                           query_ranges=query_ranges, party=tuple(party), min_count=min_count,
                                           max_count=max_count)
        return self._submit(call, callback)

    def remove(self, ticket: int, callback: Callback | None = None) -> "Future[None]":
        return self._submit(self._client.matchmaker.remove(ticket), callback)


class _Rooms(_Namespace):
    def set_snapshot_decoder(self, factory: SnapshotDecoderFactory | None) -> None:
        """See Rooms.set_snapshot_decoder; decoding runs on the network thread."""
        self._client.rooms.set_snapshot_decoder(factory)

    @property
    def room_id(self) -> int:
        return self._client.rooms.room_id

    @property
    def newest_tick(self) -> int:
        return self._client.rooms.newest_tick

    def create(self, type: str, options: Mapping[str, str] | None = None, private: bool = False,
               invite: Iterable[int] = (), callback: Callback | None = None) -> "Future[RoomJoined]":
        return self._submit(self._client.rooms.create(type, options, private, tuple(invite)), callback)

    def join(self, room_id: int, callback: Callback | None = None) -> "Future[RoomJoined]":
        return self._submit(self._client.rooms.join(room_id), callback)

    def join_reserved(self, room_id: int, reservation: str,
                      callback: Callback | None = None) -> "Future[RoomJoined]":
        return self._submit(self._client.rooms.join_reserved(room_id, reservation), callback)

    def join_or_create(self, type: str, options: Mapping[str, str] | None = None,
                       callback: Callback | None = None) -> "Future[RoomJoined]":
        return self._submit(self._client.rooms.join_or_create(type, options), callback)

    def spectate(self, room_id: int, callback: Callback | None = None) -> "Future[RoomJoined]":
        return self._submit(self._client.rooms.spectate(room_id), callback)

    def list(self, type: str, label_filter: Mapping[str, str] | None = None,
             callback: Callback | None = None) -> "Future[tuple[RoomInfo, ...]]":
        return self._submit(self._client.rooms.list(type, label_filter), callback)

    def leave(self, callback: Callback | None = None) -> "Future[None]":
        return self._submit(self._client.rooms.leave(), callback)

    def send_input(self, data: bytes, client_tick: int = 0, view_tick: int = 0) -> int:
        """Returns the input's sequence at once (see Rooms.send_input); the send happens on the network thread."""
        return self._client.rooms.send_input(data, client_tick, view_tick)

    def send_message(self, type: str, payload: str = "", callback: Callback | None = None) -> "Future[None]":
        return self._submit(self._client.rooms.send_message(type, payload), callback)
