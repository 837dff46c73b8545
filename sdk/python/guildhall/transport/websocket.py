"""A WebSocket client (RFC 6455, client side) over asyncio streams, carrying one Envelope per binary message.

What it enforces, since every byte from the network is hostile: the upgrade answer must be 101 with the
Sec-WebSocket-Accept of our key (else it is not a WebSocket server) and fit in MAX_UPGRADE_ANSWER_BYTES; server
frames must be unmasked, with no reserved bits, known opcodes, control frames final and at most 125 bytes; a
message (fragments together) is at most max_frame_bytes. A violation closes with 1002 (or 1009 for size) and raises
ProtocolError. Pings are answered inside receive(); a close frame ends receive() with ServerClosed.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import struct

from guildhall.errors import ConnectionLost, ProtocolError, ServerClosed
from guildhall.options import ClientOptions
from guildhall.server_url import ServerUrl
from guildhall.transport._streams import close_writer, open_stream

MAX_UPGRADE_ANSWER_BYTES = 16 * 1024
_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_CONTINUATION, _TEXT, _BINARY, _CLOSE, _PING, _PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
_NO_STATUS = 1005
_PROTOCOL_ERROR = 1002
_TOO_BIG = 1009


def accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1(key.encode() + _GUID).digest()).decode()


def encode_frame(opcode: int, payload: bytes, fin: bool = True) -> bytes:
    """A client frame: masked with a fresh random key, as RFC 6455 requires of clients."""
    head = bytearray([(0x80 if fin else 0) | opcode])
    size = len(payload)
    if size < 126:
        head.append(0x80 | size)
    elif size < 1 << 16:
        head.append(0x80 | 126)
        head += struct.pack("!H", size)
    else:
        head.append(0x80 | 127)
        head += struct.pack("!Q", size)
    mask = os.urandom(4)
    # XOR through one big integer: far faster than a Python loop per byte.
    repeated = (mask * (size // 4 + 1))[:size]
    masked = (int.from_bytes(payload, "little") ^ int.from_bytes(repeated, "little")).to_bytes(size, "little")
    return bytes(head) + mask + masked


async def _read_upgrade_answer(reader: asyncio.StreamReader) -> str:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.LimitOverrunError as error:
        raise ProtocolError("the upgrade answer is too long: not a Guildhall server?") from error
    except asyncio.IncompleteReadError as error:
        raise ConnectionLost("the server closed the connection during the WebSocket upgrade") from error
    if len(head) > MAX_UPGRADE_ANSWER_BYTES:
        raise ProtocolError("the upgrade answer is too long")
    return head.decode("latin-1")


def _check_upgrade_answer(head: str, key: str) -> None:
    lines = head.split("\r\n")
    status = lines[0].split(" ", 2)
    if len(status) < 2 or status[1] != "101":
        raise ProtocolError(f"the server refused the WebSocket upgrade: {lines[0]!r}")
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    if headers.get("sec-websocket-accept") != accept_key(key):
        raise ProtocolError("the server's Sec-WebSocket-Accept does not match our key: not a WebSocket server")


class WebSocketTransport:
    """One WebSocket connection; see the module's docstring for what it checks."""

    kind = "websocket"
    authenticated_by_transport = False

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, max_message_bytes: int) -> None:
        self._reader = reader
        self._writer = writer
        self._max_message_bytes = max_message_bytes
        self._closed = False
        self.bytes_received = 0

    async def send(self, envelope: bytes) -> None:
        await self._write(encode_frame(_BINARY, envelope))

    send_unreliable = send

    async def _write(self, frame: bytes) -> None:
        if self._closed or self._writer.is_closing():
            raise ConnectionLost("the connection is closed")
        self._writer.write(frame)
        try:
            await self._writer.drain()
        except (OSError, RuntimeError) as error:
            raise ConnectionLost(f"write failed: {error}") from error

    async def receive(self) -> bytes:
        message = bytearray()
        in_message = False
        while True:
            fin, opcode, payload = await self._read_frame()
            if opcode >= _CLOSE:
                await self._on_control(opcode, payload)
                continue
            if (opcode == _CONTINUATION) != in_message:
                raise await self._fail(_PROTOCOL_ERROR, "a continuation frame out of place")
            if opcode == _TEXT:
                raise await self._fail(_PROTOCOL_ERROR, "a text frame: this client speaks binary Envelopes")
            message += payload
            if len(message) > self._max_message_bytes:
                raise await self._fail(_TOO_BIG, f"a message over {self._max_message_bytes} bytes")
            if fin:
                return bytes(message)
            in_message = True

    async def _read_frame(self) -> tuple[bool, int, bytes]:
        try:
            first, second = await self._reader.readexactly(2)
            size = second & 0x7F
            extra = 2
            if size == 126:
                size = struct.unpack("!H", await self._reader.readexactly(2))[0]
                extra += 2
            elif size == 127:
                size = struct.unpack("!Q", await self._reader.readexactly(8))[0]
                extra += 8
            opcode = first & 0x0F
            if second & 0x80 or first & 0x70 or opcode not in (0, 1, 2, 8, 9, 10):
                raise await self._fail(_PROTOCOL_ERROR, "a masked server frame, reserved bits or an unknown opcode")
            if opcode >= _CLOSE and (size > 125 or not first & 0x80):
                raise await self._fail(_PROTOCOL_ERROR, "a fragmented or oversized control frame")
            if size > self._max_message_bytes:
                raise await self._fail(_TOO_BIG, f"a frame of {size} bytes is over the cap")
            payload = await self._reader.readexactly(size)
        except asyncio.IncompleteReadError as error:
            raise ConnectionLost("the server closed the connection without a close frame") from error
        except OSError as error:
            raise ConnectionLost(f"read failed: {error}") from error
        self.bytes_received += extra + size
        return bool(first & 0x80), opcode, payload

    async def _on_control(self, opcode: int, payload: bytes) -> None:
        if opcode == _PING:
            try:
                await self._write(encode_frame(_PONG, payload))
            except ConnectionLost:
                pass
        elif opcode == _CLOSE:
            code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else _NO_STATUS
            reason = payload[2:].decode("utf-8", "replace")
            await self.close(code)
            raise ServerClosed(code, reason)

    async def _fail(self, code: int, why: str) -> ProtocolError:
        await self.close(code, why[:120])
        return ProtocolError(why)

    async def close(self, code: int = 1000, reason: str = "") -> None:
        if self._closed:
            return
        try:
            await asyncio.wait_for(self._write(encode_frame(_CLOSE, struct.pack("!H", code) +
                                                            reason.encode()[:123])), 1.0)
        except (ConnectionLost, asyncio.TimeoutError):
            pass
        self._closed = True
        await close_writer(self._writer)


async def open_transport(url: ServerUrl, options: ClientOptions, access_token: str = "") -> WebSocketTransport:
    """Connects and upgrades. Raises ConnectionRefused, ConnectionLost, ProtocolError (not a WebSocket server)."""
    reader, writer = await open_stream(url.host, url.port, url.secure, options)
    key = base64.b64encode(os.urandom(16)).decode()
    host = f"[{url.host}]" if ":" in url.host else url.host
    writer.write((f"GET {url.path} HTTP/1.1\r\nHost: {host}:{url.port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    try:
        await writer.drain()
        _check_upgrade_answer(await _read_upgrade_answer(reader), key)
    except OSError as error:
        await close_writer(writer)
        raise ConnectionLost(f"the WebSocket upgrade with {url.host}:{url.port} failed: {error}") from error
    except BaseException:
        await close_writer(writer)
        raise
    return WebSocketTransport(reader, writer, options.max_frame_bytes)
