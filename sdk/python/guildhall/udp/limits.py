"""Sizes, caps and timings of the UDP connection layer (docs/protocol.md "UDP: connection layer").

Mirrors src/wire/udp/udp_limits.hpp: one number per cap, shared by the codec, the state machine and the tests.
"""
from __future__ import annotations

from typing import Final

#: Largest datagram either side sends or accepts (IPv6 minimum MTU minus headers, room for tunnels).
MAX_DATAGRAM_BYTES: Final = 1200
KEY_BYTES: Final = 32
MAC_BYTES: Final = 16
MAX_SEQUENCE_BYTES: Final = 8
PREFIX_BYTES: Final = 1
#: Largest opaque payload of one payload packet: 1200 - prefix - 8-byte sequence - MAC = 1175.
MAX_PAYLOAD_BYTES: Final = MAX_DATAGRAM_BYTES - PREFIX_BYTES - MAX_SEQUENCE_BYTES - MAC_BYTES

#: Bound into every packet's associated data, so a peer of another version fails authentication.
VERSION_INFO: Final = b"GUILDHALL 1.0"
VERSION_INFO_BYTES: Final = len(VERSION_INFO)

CONNECT_TOKEN_NONCE_BYTES: Final = 24
CONNECT_TOKEN_PRIVATE_BYTES: Final = 1024
CHALLENGE_TOKEN_BYTES: Final = 300
MAX_SERVER_ADDRESSES: Final = 8

#: prefix, version, protocol id, expire timestamp, nonce, sealed private token.
CONNECTION_REQUEST_BYTES: Final = (
    PREFIX_BYTES + VERSION_INFO_BYTES + 8 + 8 + CONNECT_TOKEN_NONCE_BYTES + CONNECT_TOKEN_PRIVATE_BYTES
)
assert CONNECTION_REQUEST_BYTES == 1078
CHALLENGE_BODY_BYTES: Final = 8 + CHALLENGE_TOKEN_BYTES
KEEP_ALIVE_BODY_BYTES: Final = 8
#: Smallest encrypted packet: prefix, one sequence byte, empty body, MAC.
MIN_ENCRYPTED_PACKET_BYTES: Final = PREFIX_BYTES + 1 + MAC_BYTES

#: Replay protection window, in packet sequences (a few seconds at 20-60 Hz).
REPLAY_WINDOW: Final = 256

#: A keep-alive goes out when nothing else was sent for this long (10 Hz), and so do handshake packets.
KEEP_ALIVE_INTERVAL_MS: Final = 100
#: A token asking for a longer timeout is refused as malformed.
MAX_TIMEOUT_SECONDS: Final = 120
#: Redundant disconnect packets, since UDP may lose any one of them.
DISCONNECT_PACKETS: Final = 10
