"""One live, authenticated connection: cid matching with a per-request timeout, the reader task, keep-alive pings
and dead-peer detection. The AsyncClient owns at most one Link at a time and replaces it after a loss.

Threading: everything here runs on the asyncio loop that opened the link.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable

from google.protobuf.message import DecodeError

from guildhall._proto import pb
from guildhall.errors import (AuthFailed, ConnectionLost, ConnectTimeout, GuildhallError, NotConnected,
                              ProtocolError, RequestTimeout, ServerClosed, ServerError)
from guildhall.options import ClientOptions
from guildhall.server_url import ServerUrl
from guildhall.transport import Transport, open_transport

MAX_PENDING_REQUESTS = 4096    # requests awaiting an answer; past it a request fails at once
_MAX_CID = 0xFFFFFFFF
_AUTH_CODES = ("AUTH_FAILED", "TOKEN_EXPIRED")

PushHandler = Callable[[pb.Envelope], None]
LostHandler = Callable[[GuildhallError], None]


def error_from_reply(error: pb.Error, request: str) -> ServerError:
    """AuthFailed for the auth codes, ServerError otherwise, with the code's name (or number if unknown)."""
    try:
        code: str | int = pb.ErrorCode.Name(error.code)
    except ValueError:
        code = error.code
    kind = AuthFailed if code in _AUTH_CODES else ServerError
    return kind(code, error.message, request, error.retry_after_ms)


def _expire(future: asyncio.Future[pb.Envelope], message: str) -> None:
    if not future.done():
        future.set_exception(RequestTimeout(message))


class Link:
    """A transport plus the protocol's session rules. Create with `Link.open`."""

    def __init__(self, transport: Transport, options: ClientOptions, on_push: PushHandler) -> None:
        self.transport = transport
        self._options = options
        self._on_push = on_push
        self._on_lost: LostHandler | None = None
        self._pending: dict[int, asyncio.Future[pb.Envelope]] = {}
        self._next_cid = 1
        self._closing: tuple[int, str] | None = None   # the server's Closing, which names the close code
        self._error: GuildhallError | None = None      # set once the link is dead
        self._pushed_auth: asyncio.Future[pb.Authenticated] = asyncio.get_running_loop().create_future()
        self._last_received = self._last_sent = time.monotonic()
        self._tasks = [asyncio.create_task(self._read_loop()), asyncio.create_task(self._keep_alive())]

    @classmethod
    async def open(cls, url: ServerUrl, options: ClientOptions, access_token: str,
                   on_push: PushHandler) -> tuple["Link", pb.Authenticated]:
        """Connects and authenticates within options.connect_timeout_s. Raises ConnectionRefused, ConnectTimeout,
        ConnectionLost, ServerClosed, ProtocolError, AuthFailed (with code TOKEN_EXPIRED for an expired token)."""
        link: Link | None = None

        async def attempt() -> tuple[Link, pb.Authenticated]:
            nonlocal link
            transport = await open_transport(url, options, access_token)
            link = cls(transport, options, on_push)
            if getattr(transport, "authenticated_by_transport", False):
                return link, await link._pushed_auth
            hello = pb.Envelope(authenticate=pb.Authenticate(token=access_token))
            reply = await link.request(hello, "Authenticate", "authenticated", timeout_s=None)
            return link, reply

        try:
            return await asyncio.wait_for(attempt(), options.connect_timeout_s)
        except asyncio.TimeoutError as error:
            if link is not None:
                await link.close()
            raise ConnectTimeout(f"connecting to {url.host}:{url.port} ({url.kind}) took over "
                                 f"{options.connect_timeout_s:g} s") from error
        except BaseException:
            if link is not None:
                await link.close()
            raise

    def watch(self, on_lost: LostHandler) -> None:
        """From now on a loss is reported to `on_lost` (once), on the loop."""
        self._on_lost = on_lost
        if self._error is not None:
            asyncio.get_running_loop().call_soon(on_lost, self._error)

    @property
    def alive(self) -> bool:
        return self._error is None

    def _take_cid(self) -> int:
        if len(self._pending) >= MAX_PENDING_REQUESTS:
            raise GuildhallError(f"{MAX_PENDING_REQUESTS} requests are already waiting for an answer")
        while True:
            cid = self._next_cid
            self._next_cid = 1 if cid >= _MAX_CID else cid + 1
            if cid not in self._pending:
                return cid

    async def request(self, envelope: pb.Envelope, name: str, answer: str,
                      timeout_s: float | None = -1.0) -> Any:
        """Sends `envelope` with a fresh cid and returns its answer's `answer` field (a message, of the type that
        field has: hence Any). Raises
        ServerError/AuthFailed for an Error answer, RequestTimeout past `timeout_s` (-1: the options'; None: no
        limit of its own), ConnectionLost/ServerClosed when the link dies first, ProtocolError for another answer."""
        if self._error is not None:
            raise NotConnected(f"not connected: {self._error}")
        cid = self._take_cid()
        envelope.cid = cid
        loop = asyncio.get_running_loop()
        future: asyncio.Future[pb.Envelope] = loop.create_future()
        self._pending[cid] = future
        limit = self._options.request_timeout_s if timeout_s == -1.0 else timeout_s
        timer: asyncio.TimerHandle | None = None
        try:
            await self.send(envelope)
            # A timer that fails the future rather than asyncio.wait_for, which wraps each request in a task of
            # its own: a third of a request's CPU (bench/run.sh sdk-python).
            if limit is not None:
                timer = loop.call_later(limit, _expire, future, f"{name}: no answer within {limit:g} s")
            reply = await future
        finally:
            self._pending.pop(cid, None)
            if timer is not None:
                timer.cancel()
        body = reply.WhichOneof("body")
        if body == "error":
            raise error_from_reply(reply.error, name)
        if body != answer:
            raise ProtocolError(f"{name} was answered with {body or 'nothing'}, not {answer}")
        return getattr(reply, answer)

    async def send(self, envelope: pb.Envelope, unreliable: bool = False) -> None:
        """Sends without waiting for an answer (cid as set: 0 for a notification)."""
        if self._error is not None:
            raise NotConnected(f"not connected: {self._error}")
        data = envelope.SerializeToString()
        self._last_sent = time.monotonic()
        if unreliable:
            await self.transport.send_unreliable(data)
        else:
            await self.transport.send(data)

    async def _read_loop(self) -> None:
        try:
            while True:
                data = await self.transport.receive()
                self._last_received = time.monotonic()
                try:
                    envelope = pb.Envelope.FromString(data)
                except DecodeError as error:
                    raise ProtocolError(f"the server sent {len(data)} bytes that are not an Envelope") from error
                self._dispatch(envelope)
        except asyncio.CancelledError:
            raise
        except GuildhallError as error:
            self._die(error)
        except Exception as error:  # a bug or an unexpected OS error must still end the link, not hang it
            self._die(ConnectionLost(f"reading failed: {error!r}"))
        await self._close_transport(1000, "")

    def _dispatch(self, envelope: pb.Envelope) -> None:
        body = envelope.WhichOneof("body")
        if body == "closing":
            self._closing = (envelope.closing.code, envelope.closing.reason)
            return
        if envelope.cid != 0:
            future = self._pending.get(envelope.cid)
            if future is not None and not future.done():
                future.set_result(envelope)
                return
        if body == "authenticated" and not self._pushed_auth.done():
            self._pushed_auth.set_result(envelope.authenticated)
            return
        if body == "pong":  # keep-alive answers: their arrival is all that counts
            return
        self._on_push(envelope)

    async def _keep_alive(self) -> None:
        tick_s = min(1.0, self._options.ping_interval_s / 2)
        while self._error is None:
            await asyncio.sleep(tick_s)
            now = time.monotonic()
            if now - self._last_received > self._options.dead_after_s:
                self._die(ConnectionLost(f"nothing heard from the server for {self._options.dead_after_s:g} s"))
                await self._close_transport(4001, "silent peer")
                return
            if now - self._last_sent >= self._options.ping_interval_s:
                # With a cid: the server answers it, and the Pong (matched by no request) is dropped on arrival.
                ping = pb.Envelope(cid=self._take_cid(), ping=pb.Ping(client_time_ms=int(time.time() * 1000)))
                try:
                    await self.send(ping)
                except GuildhallError:
                    pass  # the reader reports the loss

    def _die(self, error: GuildhallError) -> None:
        if self._error is not None:
            return
        if self._closing is not None:
            error = ServerClosed(*self._closing)
        self._error = error
        for future in self._pending.values():
            if not future.done():
                future.set_exception(error)
        if not self._pushed_auth.done():
            self._pushed_auth.set_exception(error)
            self._pushed_auth.exception()  # retrieved: nobody may be waiting for it
        if self._on_lost is not None:
            asyncio.get_running_loop().call_soon(self._on_lost, error)
        current = asyncio.current_task()
        for task in self._tasks:
            if task is not current:
                task.cancel()

    async def _close_transport(self, code: int, reason: str) -> None:
        try:
            await self.transport.close(code, reason)
        except Exception:  # closing is best effort: the peer may be gone
            pass

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Closes the link without reporting a loss. Pending requests fail with NotConnected."""
        self._on_lost = None
        self._die(NotConnected("the client closed the connection"))
        await self._close_transport(code, reason)
