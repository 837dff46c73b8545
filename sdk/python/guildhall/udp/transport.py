"""The UDP transport for asyncio: the sans-I/O connection layer (connection.py) and message layer (messages.py)
over one datagram socket, behind the SDK's Transport interface plus `send_unreliable`.

Requests, responses and pushes ride the reliable-ordered channel (`send`, `receive`); RoomInput goes out with
`send_unreliable` (latest wins: an input message not yet written is replaced by the newer one, which repeats its
inputs anyway) and RoomSnapshot pushes arrive unreliable, both through `receive` in arrival order. The server
authenticates the connection by its connect token and pushes Authenticated (cid 0) unasked once connected.

Endings: `receive` raises ServerClosed(code, reason) once the server said Closing{code, reason} and then
disconnected (or went silent), ConnectionLost when the connection dropped without a Closing (nothing heard for
the token's timeout, disconnect packets without a Closing) or was closed by this side. `open_udp` raises
ConnectTimeout when no server answered (UDP has no refusal: ICMP "port unreachable" is not reported on an
unconnected socket, and the C++ client ignores it too, so a closed port shows as a handshake time-out),
ConnectionRefused when every address denied the connection (server full).

Threading: every method runs on the event loop that opened the transport; none is thread-safe.
"""
from __future__ import annotations

import asyncio
import socket
import time
import urllib.parse
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .connect_token import ConnectToken
from .connection import ClientConnection, ClientState, Datagram
from .envelope_peek import closing_of
from guildhall import http_login
from guildhall.errors import (ConnectionLost, ConnectionRefused, ConnectTimeout, ProtocolError, ServerClosed,
                              ServerError, UdpNotServed)
from guildhall.options import ClientOptions
from guildhall.server_url import ServerUrl
from .message_packet import RELIABLE, UNRELIABLE
from .messages import MessageEndpoint

#: Slot of the unreliable channel room inputs use: an unwritten input message is replaced by the next one.
INPUT_SLOT = 1
#: Messages received and not yet read by `receive`. A client that stops reading past it loses the connection:
#: the reliable channel cannot drop, and buffering without bound would let the server grow our memory.
MAX_RECEIVED_MESSAGES = 8192


@dataclass(frozen=True, slots=True)
class UdpOptions:
    """connect_timeout_s: the whole handshake, all addresses; tick_s: the beat of resends, acks and keep-alives
    (the C++ client's 10 ms); clock: a monotonic clock in seconds (injected for tests)."""

    connect_timeout_s: float = 15.0
    tick_s: float = 0.01
    clock: Callable[[], float] = time.monotonic

    def validate(self) -> None:
        if not self.connect_timeout_s > 0 or not 0 < self.tick_s <= 0.1:
            raise ValueError("connect_timeout_s must be > 0 and tick_s in (0, 0.1]")


class UdpTransport(asyncio.DatagramProtocol):
    """One UDP connection. Create with `open_udp`."""

    kind = "udp"
    #: The connect token authenticated the user: the server pushes Authenticated; never send Authenticate.
    authenticated_by_transport = True

    def __init__(self, token: ConnectToken, options: UdpOptions) -> None:
        self._options = options
        self._token = token
        self._connection = ClientConnection()
        self._endpoint = MessageEndpoint()
        self._socket: asyncio.DatagramTransport | None = None
        self._received: deque[bytes] = deque()
        self._readable = asyncio.Event()
        self._ended: Exception | None = None
        self._closing: tuple[int, str] | None = None
        self._connected: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        # Retrieved here so a failure nobody waits for any more (open_udp timed out first) is not reported as lost.
        self._connected.add_done_callback(lambda f: f.cancelled() or f.exception())
        self._ticker: asyncio.Task[None] | None = None
        self._flush_posted = False
        self.bytes_received = 0  # whole datagrams that carried payloads (header, ciphertext, MAC)
        self.bytes_sent = 0
        self.unreliable_received = 0  # messages that came on the unreliable channel (snapshots)
        self.unreliable_sent = 0      # messages queued on the unreliable channel (room inputs and acks)

    # ---- Transport interface ------------------------------------------------------------------------------

    async def send(self, envelope: bytes) -> None:
        """Queues one serialized Envelope on the reliable channel. Raises the ending once the connection ended,
        ConnectionLost when more than the send window is unacknowledged (the server is not reading)."""
        self._raise_if_ended()
        result = self._endpoint.send(RELIABLE, envelope)
        if result == "too_large":
            raise ProtocolError(f"a message of {len(envelope)} bytes is over the UDP transport's limit")
        if result == "over_limit":
            self._end(ConnectionLost("more than the reliable window unacknowledged: the server is not reading"))
            self._raise_if_ended()
        self._flush_soon()

    async def send_unreliable(self, envelope: bytes) -> bool:
        """Sends one serialized Envelope (a RoomInput) on the unreliable channel at once; one that cannot go yet is
        replaced by the next (latest wins). False once ended."""
        if self._ended is not None:
            return False
        self._endpoint.send_latest(envelope, INPUT_SLOT)
        self.unreliable_sent += 1
        # Now, not batched with what this loop pass sends next: the server reads a packet's reliable messages
        # before its unreliable ones, so an input sharing a packet with a LeaveRoom would come after it.
        self._flush()
        return True

    async def receive(self) -> bytes:
        """The next Envelope (reliable or unreliable, in arrival order). Raises ServerClosed / ConnectionLost once
        the connection ended and every message received before the end was read."""
        while not self._received:
            self._raise_if_ended()
            self._readable.clear()
            await self._readable.wait()
        return self._received.popleft()

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Sends the redundant disconnect packets and closes the socket. UDP carries no close code: `code` and
        `reason` only name the ending that `receive` then raises (ConnectionLost)."""
        if self._ended is None:
            for datagram in self._connection.disconnect():
                self._send_datagram(datagram)
            self._end(ConnectionLost(f"closed by the client ({code}{' ' + reason if reason else ''})"))

    # ---- measurements ---------------------------------------------------------------------------------------

    @property
    def rtt_ms(self) -> float:
        """The message layer's smoothed round trip in milliseconds (0 before the first acknowledged packet)."""
        link = self._endpoint.link
        return link.rtt_ms if link.have_rtt else 0.0

    @property
    def packet_loss(self) -> float:
        """The fraction (0..1) of sent packets found lost, smoothed."""
        return self._endpoint.link.loss

    @property
    def drops(self) -> dict[str, int]:
        """Datagrams and packets refused or dropped, by reason (connection and message layers)."""
        return dict(self._connection.drops + self._endpoint.stats.drops)

    @property
    def client_index(self) -> int:
        return self._connection.client_index

    # ---- asyncio.DatagramProtocol -------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.DatagramTransport) -> None:  # type: ignore[override]
        # Overrides BaseProtocol's (any transport) as asyncio.DatagramProtocol's own declaration does: a datagram
        # endpoint is always handed a DatagramTransport.
        self._socket = transport

    def datagram_received(self, data: bytes, addr: tuple[object, ...]) -> None:
        if self._ended is not None:
            return
        payload = self._connection.receive(addr, data, self._now_ms())
        if payload is not None:
            self.bytes_received += len(data)
            self._endpoint.receive_packet(payload.data, self._now_ms(), payload.sequence)
            for channel, message in self._endpoint.drain():
                self._deliver(channel, message)
        self._after_state_change()
        self._flush()

    def error_received(self, exc: Exception) -> None:
        # ICMP errors (port unreachable) are not decisive on UDP: the handshake's resends and time-out decide.
        pass

    def connection_lost(self, exc: Exception | None) -> None:
        self._end(ConnectionLost(f"the UDP socket closed: {exc}" if exc else "the UDP socket closed"))

    # ---- internals ---------------------------------------------------------------------------------------------

    def _now_ms(self) -> int:
        return int(self._options.clock() * 1000)

    def _start(self) -> None:
        self._connection.connect(self._token, self._now_ms())
        if self._connection.state == ClientState.INVALID_TOKEN:
            self._fail_connect(ProtocolError("the connect token is not usable"))
            return
        self._ticker = asyncio.get_running_loop().create_task(self._tick_loop())

    async def _tick_loop(self) -> None:
        try:
            while self._ended is None:
                for datagram in self._connection.update(self._now_ms()):
                    self._send_datagram(datagram)
                self._after_state_change()
                self._flush()
                await asyncio.sleep(self._options.tick_s)
        except Exception as error:  # a bug here would otherwise stall the connection silently
            failure = ConnectionLost(f"the UDP transport failed: {error!r}")
            if self._connected.done():
                self._end(failure)
            else:
                self._fail_connect(failure)

    def _after_state_change(self) -> None:
        state = self._connection.state
        if not self._connected.done():
            if state == ClientState.CONNECTED:
                self._connected.set_result(None)
            elif not self._connection.connecting:
                self._fail_connect(self._connect_failure(state))
        elif self._ended is None and state != ClientState.CONNECTED:
            self._end(self._ending(state))

    def _connect_failure(self, state: ClientState) -> Exception:
        where = self._connection.server_address
        if state == ClientState.DENIED:
            return ConnectionRefused(f"every server of the connect token denied the connection (last {where})")
        return ConnectTimeout(f"no UDP connection to {where}: {state.name.lower()}")

    def _ending(self, state: ClientState) -> Exception:
        if self._closing is not None:
            return ServerClosed(*self._closing)
        if state == ClientState.TIMED_OUT:
            return ConnectionLost(f"nothing heard from {self._connection.server_address} for "
                                  f"{self._token.timeout_seconds} s")
        return ConnectionLost(f"the server {self._connection.server_address} disconnected")

    def _deliver(self, channel: int, message: bytes) -> None:
        if channel == RELIABLE and self._closing is None:
            self._closing = closing_of(message)
        if len(self._received) >= MAX_RECEIVED_MESSAGES:
            if channel == UNRELIABLE:
                return  # superseded state: the newest matters, a backlog of snapshots does not
            self._end(ConnectionLost("the client stopped reading: too many messages waiting"))
            return
        self._received.append(message)
        self.unreliable_received += channel == UNRELIABLE
        self._readable.set()

    def _flush_soon(self) -> None:
        if self._flush_posted:
            return
        self._flush_posted = True

        def run() -> None:
            self._flush_posted = False
            self._flush()

        asyncio.get_running_loop().call_soon(run)

    def _flush(self) -> None:
        if self._ended is not None or self._connection.state != ClientState.CONNECTED:
            return
        now = self._now_ms()
        for packet in self._endpoint.write_packets(now, lambda: self._connection.next_payload_sequence):
            datagram = self._connection.send_payload(packet, now)
            if datagram is not None:
                self._send_datagram(datagram)

    def _send_datagram(self, datagram: Datagram) -> None:
        if self._socket is not None and not self._socket.is_closing():
            self.bytes_sent += len(datagram.data)
            self._socket.sendto(datagram.data, datagram.to)

    def _fail_connect(self, error: Exception) -> None:
        if not self._connected.done():
            self._connected.set_exception(error)
        self._end(error, wake=False)

    def _end(self, error: Exception, wake: bool = True) -> None:
        if self._ended is not None:
            return
        self._ended = error
        if self._ticker is not None and self._ticker is not asyncio.current_task():
            self._ticker.cancel()
        if self._socket is not None:
            self._socket.close()
        if wake:
            self._readable.set()

    def _raise_if_ended(self) -> None:
        if self._ended is not None:
            raise self._ended


async def open_udp(url: str | None, connect_token: ConnectToken, options: UdpOptions | None = None) -> UdpTransport:
    """Opens a UDP connection with a fresh `connect_token` (its server addresses are tried in order; `url`, e.g.
    "udp://host:9702", only names the server in messages). Returns once connected (the server's Authenticated push
    is then the first `receive`). Raises ConnectTimeout, ConnectionRefused (denied: server full), ProtocolError
    (an unusable token)."""
    options = options or UdpOptions()
    options.validate()
    loop = asyncio.get_running_loop()
    family = socket.AF_INET6 if ":" in connect_token.server_addresses[0][0] else socket.AF_INET
    local = ("::", 0) if family == socket.AF_INET6 else ("0.0.0.0", 0)
    transport = UdpTransport(connect_token, options)
    await loop.create_datagram_endpoint(lambda: transport, local_addr=local, family=family)
    transport._start()
    try:
        await asyncio.wait_for(asyncio.shield(transport._connected), options.connect_timeout_s)
    except asyncio.TimeoutError:
        error = ConnectTimeout(f"connecting to {url or connect_token.server_addresses[0]} over UDP timed out after "
                               f"{options.connect_timeout_s:g} s")
        transport._fail_connect(error)
        raise error from None
    except BaseException:
        transport._end(ConnectionLost("connect abandoned"), wake=False)
        raise
    return transport


def _api_url(http_base: str) -> ServerUrl:
    """The HTTP API root "http(s)://host:port" as the ServerUrl http_login speaks to; ValueError if it is not one."""
    parts = urllib.parse.urlsplit(http_base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s):// API root: {http_base!r}")
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    return ServerUrl("udp", secure, parts.hostname, port, "/ws", port)


async def request_connect_token(url: ServerUrl, access_token: str, options: ClientOptions) -> ConnectToken:
    """A fresh connect token from `url.http_base` for `access_token`, within `options.login_timeout_s` (HTTPS with
    options.tls when url.secure). Raises UdpNotServed (the server has UDP off), AuthFailed (a bad or expired access
    token), ConnectionRefused, ConnectionLost, ConnectTimeout, ServerError, ProtocolError (not a token)."""
    try:
        answer = await http_login.fetch_connect_token(url, access_token, options)
    except ServerError as error:
        if error.code == "NOT_FOUND":
            raise UdpNotServed(f"{url.http_base} serves no UDP connect tokens: {error.message}") from error
        raise
    try:
        return ConnectToken.from_json(answer)
    except ValueError as error:
        raise ProtocolError(f"bad connect token from {url.http_base}: {error}") from error


def fetch_connect_token(http_base: str, access_token: str, timeout_s: float = 15.0) -> ConnectToken:
    """POST /v1/udp/connect-token on `http_base` ("http://127.0.0.1:9700"), within `timeout_s`. Blocking: call it
    from a thread with no running event loop (await `request_connect_token` in asyncio). Raises as
    `request_connect_token` does."""
    options = ClientOptions(login_timeout_s=timeout_s)
    return asyncio.run(request_connect_token(_api_url(http_base), access_token, options))


async def connect_udp(http_base: str, access_token: str, options: UdpOptions | None = None) -> UdpTransport:
    """Fetches a fresh connect token from `http_base` ("http://host:9700") for `access_token` and opens the
    connection with it: what a client does for every connection, reconnections included."""
    options = options or UdpOptions()
    api_options = ClientOptions(login_timeout_s=options.connect_timeout_s)
    token = await request_connect_token(_api_url(http_base), access_token, api_options)
    return await open_udp(None, token, options)


async def open_transport(url: ServerUrl, options: ClientOptions, access_token: str) -> UdpTransport:
    """The SDK's opener for udp:// and udps:// URLs (guildhall.transport.register). Every connection, reconnections
    included, asks `url.http_base` for a fresh connect token (a token's packet sequence must never repeat) within
    `options.login_timeout_s`, over HTTPS with options.tls for udps://, then connects within
    `options.connect_timeout_s`. Raises as `request_connect_token` and `open_udp` do."""
    token = await request_connect_token(url, access_token, options)
    udp_options = UdpOptions(connect_timeout_s=options.connect_timeout_s)
    return await open_udp(f"udp://{url.host}:{url.port}", token, udp_options)
