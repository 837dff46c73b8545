"""The connect token a client gets over HTTP (docs/protocol.md "UDP: getting a connect token").

`ConnectToken.from_json` checks and converts the server's answer (a `ConnectToken` in the protobuf-JSON mapping:
64-bit numbers as strings, bytes in base64, proto or lowerCamel field names), as to_connect_token does in
src/client/udp_client_connection.cpp. Fetching one is the HTTP API's job (guildhall.http_login; transport.py's
`request_connect_token`). A token serves one connection: ask for a fresh one every time.
"""
from __future__ import annotations

import base64
import binascii
import ipaddress
import json
from dataclasses import dataclass
from typing import Any

from .limits import (
    CONNECT_TOKEN_NONCE_BYTES,
    CONNECT_TOKEN_PRIVATE_BYTES,
    KEY_BYTES,
    MAX_SERVER_ADDRESSES,
    MAX_TIMEOUT_SECONDS,
)


Address = tuple[str, int]  # (IP literal, port)


def parse_address(text: str) -> Address:
    """"a.b.c.d:port" or "[ipv6]:port" to (ip, port); ValueError for anything else (a zero port too)."""
    if text.startswith("["):
        host, sep, port = text[1:].partition("]:")
        if not sep:
            raise ValueError(f"bad address {text!r}")
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.IPv6Address(host)
    else:
        host, sep, port = text.rpartition(":")
        if not sep:
            raise ValueError(f"bad address {text!r}")
        ip = ipaddress.IPv4Address(host)
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"bad port in {text!r}")
    return str(ip), int(port)


def _field(doc: dict[str, Any], snake: str) -> Any:
    if snake in doc:
        return doc[snake]
    head, *rest = snake.split("_")
    return doc.get(head + "".join(word.title() for word in rest))


def _number(doc: dict[str, Any], name: str) -> int:
    value = _field(doc, name)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"{name} is not a number")
    number = int(value)
    if not 0 <= number < (1 << 64):
        raise ValueError(f"{name} out of range")
    return number


def _bytes(doc: dict[str, Any], name: str, size: int) -> bytes:
    value = _field(doc, name)
    if not isinstance(value, str):
        raise ValueError(f"{name} missing")
    try:
        raw = base64.b64decode(value.replace("-", "+").replace("_", "/") + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"{name} is not base64") from error
    if len(raw) != size:
        raise ValueError(f"{name} has {len(raw)} bytes, not {size}")
    return raw


@dataclass(frozen=True, slots=True)
class ConnectToken:
    """A checked connect token. Timestamps are Unix seconds; keys are 32 bytes each way."""

    protocol_id: int
    create_timestamp: int
    expire_timestamp: int
    nonce: bytes
    sealed_private: bytes
    timeout_seconds: int
    server_addresses: tuple[Address, ...]
    client_to_server_key: bytes
    server_to_client_key: bytes

    @staticmethod
    def from_json(answer: str | bytes | dict[str, Any]) -> "ConnectToken":
        """Parses and checks the HTTP answer. Raises ValueError naming what is wrong."""
        doc = json.loads(answer) if isinstance(answer, (str, bytes)) else answer
        if not isinstance(doc, dict):
            raise ValueError("the connect token is not a JSON object")
        addresses = _field(doc, "server_addresses") or []
        if not isinstance(addresses, list) or not 1 <= len(addresses) <= MAX_SERVER_ADDRESSES:
            raise ValueError("the connect token names no server, or too many")
        token = ConnectToken(
            protocol_id=_number(doc, "protocol_id"),
            create_timestamp=_number(doc, "create_timestamp"),
            expire_timestamp=_number(doc, "expire_timestamp"),
            nonce=_bytes(doc, "nonce", CONNECT_TOKEN_NONCE_BYTES),
            sealed_private=_bytes(doc, "sealed_private", CONNECT_TOKEN_PRIVATE_BYTES),
            timeout_seconds=_number(doc, "timeout_seconds"),
            server_addresses=tuple(parse_address(str(a)) for a in addresses),
            client_to_server_key=_bytes(doc, "client_to_server_key", KEY_BYTES),
            server_to_client_key=_bytes(doc, "server_to_client_key", KEY_BYTES),
        )
        problem = token.problem()
        if problem:
            raise ValueError(problem)
        return token

    def problem(self) -> str | None:
        """What makes the token unusable (client_protocol's token_well_formed), or None."""
        if not 1 <= len(self.server_addresses) <= MAX_SERVER_ADDRESSES:
            return "the connect token must name 1..8 servers"
        if self.create_timestamp >= self.expire_timestamp:
            return "the connect token expires before it was created"
        if not 1 <= self.timeout_seconds <= MAX_TIMEOUT_SECONDS:
            return "the connect token's timeout is outside 1..120 s"
        if len(self.nonce) != CONNECT_TOKEN_NONCE_BYTES or len(self.sealed_private) != CONNECT_TOKEN_PRIVATE_BYTES:
            return "the connect token's nonce or sealed part has the wrong size"
        if len(self.client_to_server_key) != KEY_BYTES or len(self.server_to_client_key) != KEY_BYTES:
            return "the connect token's keys have the wrong size"
        return None
