"""The connection layer's packets and their encryption (docs/protocol.md "UDP: connection layer").

Byte-compatible with src/wire/udp/packet_codec.cpp. All integers little-endian.

* connection request (type 0), 1078 bytes in clear: prefix 0 | version info 13 | protocol id u64 |
  expire timestamp u64 | token nonce 24 | sealed private token 1024
* every other type: prefix | sequence (1..8 bytes, low byte first, high zero bytes left out) | encrypted body |
  MAC 16, with prefix = (sequence byte count << 4) | type. The body is sealed with ChaCha20-Poly1305-IETF under
  the direction's key, nonce = 4 zero bytes + sequence u64, associated data = version info | protocol id u64 |
  prefix byte (so the type cannot be altered).

Decoders never raise for bad bytes: they return a `PacketError` (the reason a datagram is dropped and counted),
in netcode's order so the cheapest checks come first. Pure functions; thread-safe.
"""
from __future__ import annotations

import enum
import struct
from dataclasses import dataclass

from nacl.bindings import (
    crypto_aead_chacha20poly1305_ietf_decrypt,
    crypto_aead_chacha20poly1305_ietf_encrypt,
)
from nacl.exceptions import CryptoError

from .limits import (
    CHALLENGE_BODY_BYTES,
    CHALLENGE_TOKEN_BYTES,
    CONNECT_TOKEN_NONCE_BYTES,
    CONNECT_TOKEN_PRIVATE_BYTES,
    CONNECTION_REQUEST_BYTES,
    KEEP_ALIVE_BODY_BYTES,
    KEY_BYTES,
    MAC_BYTES,
    MAX_DATAGRAM_BYTES,
    MAX_PAYLOAD_BYTES,
    MAX_SEQUENCE_BYTES,
    MIN_ENCRYPTED_PACKET_BYTES,
    PREFIX_BYTES,
    VERSION_INFO,
)
from .replay_window import ReplayWindow


class PacketType(enum.IntEnum):
    CONNECTION_REQUEST = 0
    CONNECTION_DENIED = 1
    CONNECTION_CHALLENGE = 2
    CONNECTION_RESPONSE = 3
    KEEP_ALIVE = 4
    PAYLOAD = 5
    DISCONNECT = 6


_TYPE_COUNT = 7
_REPLAY_PROTECTED = frozenset({PacketType.KEEP_ALIVE, PacketType.PAYLOAD, PacketType.DISCONNECT})


class PacketError(enum.Enum):
    """Why a datagram was refused; the names are the C++ packet_error's (src/wire/udp/packet_error.hpp)."""

    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    BAD_PREFIX = "bad_prefix"
    UNEXPECTED_TYPE = "unexpected_type"
    BAD_VERSION = "bad_version"
    WRONG_PROTOCOL_ID = "wrong_protocol_id"
    TOKEN_EXPIRED = "token_expired"
    DECRYPT_FAILED = "decrypt_failed"
    REPLAYED = "replayed"
    BAD_BODY_SIZE = "bad_body_size"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    WRONG_ADDRESS = "wrong_address"


@dataclass(frozen=True, slots=True)
class ConnectionRequest:
    expire_timestamp: int  # Unix seconds
    nonce: bytes  # 24 bytes
    sealed_private: bytes  # 1024 bytes, opaque to the client


@dataclass(frozen=True, slots=True)
class OpenedPacket:
    type: PacketType
    sequence: int
    body: bytes


def _ad(protocol_id: int, prefix: int) -> bytes:
    return VERSION_INFO + struct.pack("<QB", protocol_id, prefix)


def sequence_nonce(sequence: int) -> bytes:
    """The 12-byte IETF nonce: 4 zero bytes, then the sequence as u64 little-endian."""
    return b"\0\0\0\0" + struct.pack("<Q", sequence)


def _sequence_bytes(sequence: int) -> int:
    count = 1
    while count < 8 and (sequence >> (8 * count)) != 0:
        count += 1
    return count


def check_body_size(packet_type: PacketType, body_bytes: int) -> PacketError | None:
    """None when `body_bytes` is a valid body size for `packet_type`."""
    if packet_type in (PacketType.CONNECTION_DENIED, PacketType.DISCONNECT):
        return None if body_bytes == 0 else PacketError.BAD_BODY_SIZE
    if packet_type in (PacketType.CONNECTION_CHALLENGE, PacketType.CONNECTION_RESPONSE):
        return None if body_bytes == CHALLENGE_BODY_BYTES else PacketError.BAD_BODY_SIZE
    if packet_type == PacketType.KEEP_ALIVE:
        return None if body_bytes == KEEP_ALIVE_BODY_BYTES else PacketError.BAD_BODY_SIZE
    if packet_type == PacketType.PAYLOAD:
        if body_bytes > MAX_PAYLOAD_BYTES:
            return PacketError.PAYLOAD_TOO_LARGE
        return None if body_bytes > 0 else PacketError.BAD_BODY_SIZE
    return PacketError.UNEXPECTED_TYPE


def encode_connection_request(request: ConnectionRequest, protocol_id: int) -> bytes:
    """The 1078-byte request. Raises ValueError for a nonce or sealed part of the wrong size (the caller's bug)."""
    if len(request.nonce) != CONNECT_TOKEN_NONCE_BYTES or len(request.sealed_private) != CONNECT_TOKEN_PRIVATE_BYTES:
        raise ValueError("connect token nonce or sealed part has the wrong size")
    out = b"\0" + VERSION_INFO + struct.pack("<QQ", protocol_id, request.expire_timestamp)
    out += request.nonce + request.sealed_private
    assert len(out) == CONNECTION_REQUEST_BYTES
    return out


def encode_packet(packet_type: PacketType, sequence: int, body: bytes, protocol_id: int, write_key: bytes) -> bytes:
    """Encrypts `body` as a packet of `packet_type` under `sequence`, which must never repeat under one key.

    Raises ValueError for a body of the wrong size for its type, a connection request, or a bad key or sequence:
    those are the caller's mistakes, never the peer's.
    """
    problem = check_body_size(packet_type, len(body))
    if problem is not None:
        raise ValueError(f"cannot encode a {packet_type.name} packet: {problem.value}")
    if len(write_key) != KEY_BYTES or not 0 <= sequence < (1 << 64):
        raise ValueError("bad key or sequence")
    count = _sequence_bytes(sequence)
    prefix = (count << 4) | int(packet_type)
    header = bytes([prefix]) + sequence.to_bytes(8, "little")[:count]
    sealed = crypto_aead_chacha20poly1305_ietf_encrypt(body, _ad(protocol_id, prefix), sequence_nonce(sequence),
                                                       write_key)
    return header + sealed


def keep_alive_body(client_index: int, max_clients: int) -> bytes:
    return struct.pack("<II", client_index, max_clients)


@dataclass(frozen=True, slots=True)
class PacketHeader:
    type: PacketType
    sequence: int
    header_bytes: int


def peek_packet_header(datagram: bytes) -> PacketHeader | PacketError:
    """The clear header of an encrypted packet (a connection request is BAD_PREFIX here)."""
    size = len(datagram)
    if size > MAX_DATAGRAM_BYTES:
        return PacketError.TOO_LONG
    if size < MIN_ENCRYPTED_PACKET_BYTES:
        return PacketError.TOO_SHORT
    prefix = datagram[0]
    kind = prefix & 0x0F
    count = prefix >> 4
    if kind == 0 or kind >= _TYPE_COUNT or count < 1 or count > MAX_SEQUENCE_BYTES:
        return PacketError.BAD_PREFIX
    if size < PREFIX_BYTES + count + MAC_BYTES:
        return PacketError.TOO_SHORT
    sequence = int.from_bytes(datagram[1:1 + count], "little")
    return PacketHeader(PacketType(kind), sequence, PREFIX_BYTES + count)


def open_packet(datagram: bytes, allowed: frozenset[PacketType], protocol_id: int, read_key: bytes,
                replay: ReplayWindow | None) -> OpenedPacket | PacketError:
    """Reads an encrypted packet: header, type in `allowed`, replay check (keep-alive, payload and disconnect, when
    `replay` is given), decryption, replay advance, body size for the type. Never raises for hostile bytes."""
    header = peek_packet_header(datagram)
    if isinstance(header, PacketError):
        return header
    if header.type not in allowed:
        return PacketError.UNEXPECTED_TYPE
    protect = replay if header.type in _REPLAY_PROTECTED else None
    if protect is not None and protect.already_received(header.sequence):
        return PacketError.REPLAYED
    try:
        body = crypto_aead_chacha20poly1305_ietf_decrypt(bytes(datagram[header.header_bytes:]),
                                                         _ad(protocol_id, datagram[0]),
                                                         sequence_nonce(header.sequence), read_key)
    except CryptoError:
        return PacketError.DECRYPT_FAILED
    if protect is not None:
        protect.advance(header.sequence)
    problem = check_body_size(header.type, len(body))
    if problem is not None:
        return problem
    return OpenedPacket(header.type, header.sequence, body)


def parse_challenge_body(body: bytes) -> tuple[int, bytes] | PacketError:
    """(challenge sequence, sealed challenge token) of a challenge or response body."""
    if len(body) != CHALLENGE_BODY_BYTES:
        return PacketError.BAD_BODY_SIZE
    return struct.unpack_from("<Q", body)[0], bytes(body[8:8 + CHALLENGE_TOKEN_BYTES])


def parse_keep_alive_body(body: bytes) -> tuple[int, int] | PacketError:
    """(client index, max clients) of a keep-alive body."""
    if len(body) != KEEP_ALIVE_BODY_BYTES:
        return PacketError.BAD_BODY_SIZE
    index, most = struct.unpack("<II", body)
    return index, most
