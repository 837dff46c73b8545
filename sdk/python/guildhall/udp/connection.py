"""The client side of the UDP connection layer, sans-I/O (src/wire/udp/client_protocol.cpp, netcode's client
state machine).

The transport feeds it datagrams and the time and sends what it returns: connection requests, then responses, at
10 Hz until answered; the token's next server address after a denial or a time-out; once connected, a keep-alive
whenever nothing was sent for 100 ms; timed_out after the token's timeout with nothing received. Bad datagrams
are dropped and counted by reason in `drops`, never raised.

Time: `now_ms` is any millisecond clock that does not go backwards (time.monotonic() * 1000). The token's lifetime
(expire - create) is counted from `connect`. Not thread-safe: one owner.
"""
from __future__ import annotations

import enum
import ipaddress
from collections import Counter
from dataclasses import dataclass

from .connect_token import Address, ConnectToken
from .limits import DISCONNECT_PACKETS, KEEP_ALIVE_INTERVAL_MS, MAX_PAYLOAD_BYTES
from .packet_codec import (
    ConnectionRequest,
    PacketError,
    PacketType,
    encode_connection_request,
    encode_packet,
    keep_alive_body,
    open_packet,
    parse_challenge_body,
    parse_keep_alive_body,
)
from .replay_window import ReplayWindow


class ClientState(enum.IntEnum):
    TOKEN_EXPIRED = -6  # the token's lifetime ran out before a connection was made
    INVALID_TOKEN = -5
    TIMED_OUT = -4  # connected, then nothing heard for the token's timeout
    RESPONSE_TIMED_OUT = -3  # no keep-alive after our responses, on every address
    REQUEST_TIMED_OUT = -2  # no challenge after our requests, on every address
    DENIED = -1  # every address answered "denied" (full)
    DISCONNECTED = 0  # never connected, or left cleanly (either side)
    SENDING_REQUEST = 1
    SENDING_RESPONSE = 2
    CONNECTED = 3


@dataclass(frozen=True, slots=True)
class Datagram:
    """A datagram to send: `to` is (ip, port)."""

    to: Address
    data: bytes


@dataclass(frozen=True, slots=True)
class Payload:
    """A decrypted payload packet: the message layer's packet and the sequence it travelled under."""

    sequence: int
    data: bytes


_ALLOWED = {
    ClientState.SENDING_REQUEST: frozenset({PacketType.CONNECTION_DENIED, PacketType.CONNECTION_CHALLENGE}),
    ClientState.SENDING_RESPONSE: frozenset({PacketType.CONNECTION_DENIED, PacketType.KEEP_ALIVE}),
    ClientState.CONNECTED: frozenset({PacketType.KEEP_ALIVE, PacketType.PAYLOAD, PacketType.DISCONNECT}),
}


def same_address(a: tuple[object, ...], b: Address) -> bool:
    """True when a socket address (asyncio gives 2 or 4 items) names the same ip and port as `b`."""
    try:
        if a[1] != b[1]:
            return False
        host = str(a[0])
        return host == b[0] or ipaddress.ip_address(host.split("%")[0]) == ipaddress.ip_address(b[0])
    except (ValueError, IndexError, TypeError):
        return False


class ClientConnection:
    """One connection attempt with one connect token (a reconnect needs a fresh token: sequences restart at 0)."""

    def __init__(self) -> None:
        self.state = ClientState.DISCONNECTED
        self.drops: Counter[str] = Counter()
        self.client_index = 0
        self.max_clients = 0
        self._token: ConnectToken | None = None
        self._address_index = 0
        self._connect_deadline_ms = 0
        self._timeout_ms = 0
        self._last_receive_ms = 0
        self._last_send_ms = 0
        self._send_now = False
        self._sequence = 0  # never reset for one token: every address shares its client-to-server key
        self._replay = ReplayWindow()  # reset per address: each server counts its own sequence
        self._challenge = b""

    # ---- state ----------------------------------------------------------------------------------------------

    @property
    def connecting(self) -> bool:
        return self.state in (ClientState.SENDING_REQUEST, ClientState.SENDING_RESPONSE)

    @property
    def server_address(self) -> Address | None:
        return None if self._token is None else self._token.server_addresses[self._address_index]

    @property
    def next_payload_sequence(self) -> int | None:
        """The sequence the next payload goes out under, while connected (the message layer's packet number)."""
        return self._sequence if self.state == ClientState.CONNECTED else None

    # ---- inputs -----------------------------------------------------------------------------------------------

    def connect(self, token: ConnectToken, now_ms: int) -> None:
        """Starts with the token's first address; the first request goes out on the next `update`."""
        if token.problem() is not None:
            self._token = None
            self.state = ClientState.INVALID_TOKEN
            return
        self._token = token
        self._sequence = 0
        self._timeout_ms = token.timeout_seconds * 1000
        lifetime_s = min(token.expire_timestamp - token.create_timestamp, 1 << 32)
        self._connect_deadline_ms = now_ms + lifetime_s * 1000
        self._begin_address(0, now_ms)

    def update(self, now_ms: int) -> list[Datagram]:
        """Time-outs, handshake resends and keep-alives due at `now_ms`."""
        out: list[Datagram] = []
        if self.connecting:
            if now_ms >= self._connect_deadline_ms:
                self.state = ClientState.TOKEN_EXPIRED
                return out
            if now_ms - self._last_receive_ms >= self._timeout_ms:
                self._fail_over(ClientState.REQUEST_TIMED_OUT if self.state == ClientState.SENDING_REQUEST
                                else ClientState.RESPONSE_TIMED_OUT, now_ms)
                if not self.connecting:
                    return out
            if self._send_now or now_ms - self._last_send_ms >= KEEP_ALIVE_INTERVAL_MS:
                out.append(self._handshake_packet())
                self._last_send_ms = now_ms
                self._send_now = False
        elif self.state == ClientState.CONNECTED:
            if now_ms - self._last_receive_ms >= self._timeout_ms:
                self.state = ClientState.TIMED_OUT
                return out
            if now_ms - self._last_send_ms >= KEEP_ALIVE_INTERVAL_MS:
                out.append(self._seal(PacketType.KEEP_ALIVE, keep_alive_body(self.client_index, self.max_clients)))
                self._last_send_ms = now_ms
        return out

    def receive(self, source: tuple[object, ...], datagram: bytes, now_ms: int) -> Payload | None:
        """A datagram from `source`; returns the payload it carried, if any. Bad datagrams are counted in `drops`."""
        if not (self.connecting or self.state == ClientState.CONNECTED) or self._token is None:
            self._drop(PacketError.UNEXPECTED_TYPE)
            return None
        if not same_address(source, self._current_address()):
            self._drop(PacketError.WRONG_ADDRESS)
            return None
        packet = open_packet(datagram, _ALLOWED[self.state], self._token.protocol_id,
                             self._token.server_to_client_key, self._replay)
        if isinstance(packet, PacketError):
            self._drop(packet)
            return None
        if packet.type == PacketType.CONNECTION_DENIED:
            self._fail_over(ClientState.DENIED, now_ms)
        elif packet.type == PacketType.CONNECTION_CHALLENGE:
            parsed = parse_challenge_body(packet.body)
            if isinstance(parsed, PacketError):
                self._drop(parsed)
                return None
            self._challenge = packet.body
            self.state = ClientState.SENDING_RESPONSE
            self._last_receive_ms = now_ms
            self._send_now = True
        elif packet.type == PacketType.KEEP_ALIVE:
            alive = parse_keep_alive_body(packet.body)
            if isinstance(alive, PacketError):
                self._drop(alive)
                return None
            self.client_index, self.max_clients = alive
            self.state = ClientState.CONNECTED
            self._last_receive_ms = now_ms
        elif packet.type == PacketType.PAYLOAD:
            self._last_receive_ms = now_ms
            return Payload(packet.sequence, packet.body)
        elif packet.type == PacketType.DISCONNECT:
            self.state = ClientState.DISCONNECTED
        return None

    def send_payload(self, payload: bytes, now_ms: int) -> Datagram | None:
        """The datagram carrying `payload`; None unless connected, or for a payload outside 1..1175 bytes."""
        if self.state != ClientState.CONNECTED or not 0 < len(payload) <= MAX_PAYLOAD_BYTES:
            return None
        self._last_send_ms = now_ms
        return self._seal(PacketType.PAYLOAD, payload)

    def disconnect(self) -> list[Datagram]:
        """The redundant disconnect packets when connected; ends in DISCONNECTED either way."""
        out = []
        if self.state == ClientState.CONNECTED:
            out = [self._seal(PacketType.DISCONNECT, b"") for _ in range(DISCONNECT_PACKETS)]
        self.state = ClientState.DISCONNECTED
        return out

    # ---- internals -----------------------------------------------------------------------------------------

    def _begin_address(self, index: int, now_ms: int) -> None:
        self._address_index = index
        self.state = ClientState.SENDING_REQUEST
        self._last_receive_ms = now_ms
        self._send_now = True
        self._replay.reset()

    def _current_address(self) -> Address:
        """The server address being tried or connected to; only while a token is held."""
        assert self._token is not None
        return self._token.server_addresses[self._address_index]

    def _fail_over(self, failure: ClientState, now_ms: int) -> None:
        assert self._token is not None
        if self._address_index + 1 < len(self._token.server_addresses):
            self._begin_address(self._address_index + 1, now_ms)
        else:
            self.state = failure

    def _handshake_packet(self) -> Datagram:
        assert self._token is not None
        if self.state == ClientState.SENDING_REQUEST:
            request = ConnectionRequest(self._token.expire_timestamp, self._token.nonce, self._token.sealed_private)
            data = encode_connection_request(request, self._token.protocol_id)
            return Datagram(self._current_address(), data)
        return self._seal(PacketType.CONNECTION_RESPONSE, self._challenge)

    def _seal(self, packet_type: PacketType, body: bytes) -> Datagram:
        assert self._token is not None
        data = encode_packet(packet_type, self._sequence, body, self._token.protocol_id,
                             self._token.client_to_server_key)
        self._sequence += 1
        return Datagram(self._current_address(), data)

    def _drop(self, error: PacketError) -> None:
        self.drops[error.value] += 1
