"""The native framing (tcp://, tls://): each Envelope is preceded by its length as a protobuf varint."""

from __future__ import annotations

import asyncio

from guildhall.errors import ConnectionLost, ProtocolError
from guildhall.options import ClientOptions
from guildhall.server_url import ServerUrl
from guildhall.transport._streams import close_writer, open_stream

_MAX_VARINT_BYTES = 5  # a length needs at most 32 bits; more bytes are a broken stream


def encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


class TcpTransport:
    """One TCP (or TLS) connection carrying varint-length-prefixed Envelopes."""

    kind = "tcp"
    authenticated_by_transport = False

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, max_frame_bytes: int) -> None:
        self._reader = reader
        self._writer = writer
        self._max_frame_bytes = max_frame_bytes
        self._closed = False
        self.bytes_received = 0

    async def send(self, envelope: bytes) -> None:
        if self._closed or self._writer.is_closing():
            raise ConnectionLost("the connection is closed")
        self._writer.write(encode_varint(len(envelope)) + envelope)
        try:
            await self._writer.drain()
        except (OSError, RuntimeError) as error:
            raise ConnectionLost(f"write failed: {error}") from error

    send_unreliable = send

    async def receive(self) -> bytes:
        length = 0
        try:
            for shift in range(0, 7 * _MAX_VARINT_BYTES, 7):
                byte = (await self._reader.readexactly(1))[0]
                length |= (byte & 0x7F) << shift
                if not byte & 0x80:
                    break
            else:
                raise await self._fail("a frame length longer than 5 bytes")
            if length > self._max_frame_bytes:
                raise await self._fail(f"a frame of {length} bytes is over the cap of {self._max_frame_bytes}")
            body = await self._reader.readexactly(length)
        except asyncio.IncompleteReadError as error:
            raise ConnectionLost("the server closed the connection") from error
        except OSError as error:
            raise ConnectionLost(f"read failed: {error}") from error
        self.bytes_received += length + len(encode_varint(length))
        return body

    async def _fail(self, why: str) -> ProtocolError:
        await self.close()
        return ProtocolError(why)

    async def close(self, code: int = 1000, reason: str = "") -> None:
        if self._closed:
            return
        self._closed = True
        await close_writer(self._writer)


async def open_transport(url: ServerUrl, options: ClientOptions, access_token: str = "") -> TcpTransport:
    reader, writer = await open_stream(url.host, url.port, url.secure, options)
    return TcpTransport(reader, writer, options.max_frame_bytes)
