"""Transports: how serialized Envelopes travel. Every transport implements `Transport`; `open_transport` picks one
by the URL's scheme. WebSocket and TCP are built in; UDP (guildhall.udp) plugs in with `register("udp", opener)`,
or is imported lazily the first time a udp:// URL is opened.

Threading: a transport belongs to the asyncio loop that opened it. One task calls receive() at a time; send() may
be called from several tasks (each frame is written whole, in call order).
"""

from __future__ import annotations

import importlib
from typing import Any, Awaitable, Callable, Protocol, runtime_checkable

from guildhall.options import ClientOptions
from guildhall.server_url import ServerUrl


@runtime_checkable
class Transport(Protocol):
    kind: str                  # "websocket" | "tcp" | "udp"
    bytes_received: int        # read from the network on this connection, framing (and TLS) included
    # True when the transport authenticated the user itself (UDP's connect token): the server then pushes
    # Authenticated and the client must not send Authenticate.
    authenticated_by_transport: bool

    async def send(self, envelope: bytes) -> None:
        """Sends one serialized Envelope (reliably, in order). Raises ConnectionLost once the connection is gone."""

    async def send_unreliable(self, envelope: bytes) -> None:
        """Sends an Envelope that may be lost (room inputs and acks); reliable transports just send it."""

    async def receive(self) -> bytes:
        """The next Envelope's bytes. Raises ConnectionLost (no close code) or ServerClosed (with one), and
        ProtocolError for bytes that break the framing (the connection is then closed)."""

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Closes with `code` and `reason` (where the framing carries them); idempotent, never raises."""


Opener = Callable[[ServerUrl, ClientOptions, str], Awaitable[Transport]]

_openers: dict[str, Opener] = {}
# Imported the first time a URL of that kind is opened, so `import guildhall` costs nothing for them.
_LAZY = {"websocket": "guildhall.transport.websocket", "tcp": "guildhall.transport.tcp",
         "udp": "guildhall.udp.transport"}


def register(kind: str, opener: Opener) -> None:
    """Makes `opener(url, options, access_token)` the way to open URLs of `kind` ("udp")."""
    _openers[kind] = opener


async def open_transport(url: ServerUrl, options: ClientOptions, access_token: str) -> Transport:
    """Opens a transport to `url`. `access_token` is for transports that authenticate themselves (UDP); the
    others ignore it. Raises ConnectionRefused, ConnectTimeout, ConnectionLost, ProtocolError."""
    if url.kind not in _openers and url.kind in _LAZY:
        module: Any = importlib.import_module(_LAZY[url.kind])
        if url.kind not in _openers and hasattr(module, "open_transport"):
            register(url.kind, module.open_transport)
    opener = _openers.get(url.kind)
    if opener is None:
        raise ValueError(f"no transport registered for {url.kind!r} URLs")
    return await opener(url, options, access_token)


__all__ = ["Transport", "Opener", "register", "open_transport"]
