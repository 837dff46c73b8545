"""The connect token a client gets over HTTP (docs/protocol.md "UDP: getting a connect token").

`ConnectToken.from_json` checks and converts the server's answer (a `ConnectToken` in the protobuf-JSON mapping:
64-bit numbers as strings, bytes in base64, proto or lowerCamel field names), as to_connect_token does in
src/client/udp_client_connection.cpp. `fetch_connect_token` asks the HTTP API for one (blocking urllib; run it in a
thread from asyncio, as `open_udp` does). A token serves one connection: ask for a fresh one every time.
"""
from __future__ import annotations

import base64
import binascii
import http.client
import ipaddress
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from guildhall.errors import (AuthFailed, ConnectionLost, ConnectionRefused, ConnectTimeout, ProtocolError,
                              UdpNotServed)
from .limits import (
    CONNECT_TOKEN_NONCE_BYTES,
    CONNECT_TOKEN_PRIVATE_BYTES,
    KEY_BYTES,
    MAX_SERVER_ADDRESSES,
    MAX_TIMEOUT_SECONDS,
)

#: The largest answer read from the HTTP API: a token is about 1.5 KB of JSON.
MAX_TOKEN_ANSWER_BYTES = 16 * 1024

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


def _error_code(body: str, fallback: str) -> str:
    """The code of the HTTP API's `{"error":{"code":...}}` answer."""
    try:
        code = json.loads(body)["error"]["code"]
        return code if isinstance(code, str) else fallback
    except (ValueError, KeyError, TypeError):
        return fallback


def fetch_connect_token(http_base: str, access_token: str, timeout_s: float = 15.0) -> ConnectToken:
    """POST /v1/udp/connect-token on `http_base` ("http://127.0.0.1:9700"). Blocking.

    Raises AuthFailed (401: a wrong or expired access token), ConnectionRefused (nothing listening), UdpNotServed
    (404: UDP disabled on the server), ConnectTimeout, ConnectionLost (the connection dropped mid-answer),
    ProtocolError (an answer that is not a valid token).
    """
    body = json.dumps({"token": access_token}).encode()
    request = urllib.request.Request(http_base.rstrip("/") + "/v1/udp/connect-token", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as answer:
            raw = answer.read(MAX_TOKEN_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as error:
        detail = error.read(4096).decode("utf-8", "replace")
        if error.code == 401:
            raise AuthFailed(_error_code(detail, "AUTH_FAILED"), detail, "udp/connect-token") from error
        if error.code == 404:
            raise UdpNotServed(f"the server has no UDP transport: {detail}") from error
        raise ProtocolError(f"connect token: HTTP {error.code}: {detail}") from error
    except TimeoutError as error:
        raise ConnectTimeout(f"asking {http_base} for a connect token timed out") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise ConnectTimeout(f"asking {http_base} for a connect token timed out") from error
        raise ConnectionRefused(f"cannot reach {http_base}: {error.reason}") from error
    except (OSError, http.client.HTTPException) as error:  # a reset or a close before the whole answer
        raise ConnectionLost(f"asking {http_base} for a connect token failed: {error!r}") from error
    if len(raw) > MAX_TOKEN_ANSWER_BYTES:
        raise ProtocolError("the connect token answer is too large")
    try:
        return ConnectToken.from_json(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ProtocolError(f"bad connect token: {error}") from error
