"""The exceptions the UDP transport raises.

They are the SDK's (guildhall/errors.py, written alongside) when that module is present; until it is, this
module defines stand-ins with the same names and constructor signatures, so callers can catch them by name
either way. The lead unifies them at merge time by deleting the fallback branch.
"""
from __future__ import annotations

try:  # pragma: no cover - depends on which modules are present
    from guildhall.errors import (  # type: ignore[import-not-found]
        AuthFailed,
        ConnectionLost,
        ConnectionRefused,
        ConnectTimeout,
        GuildhallError,
        ProtocolError,
        ServerClosed,
    )
except ImportError:  # pragma: no cover

    class GuildhallError(Exception):  # type: ignore[no-redef]
        """Base of every SDK error."""

    class ConnectionRefused(GuildhallError):  # type: ignore[no-redef]
        """Nothing accepts the connection (UDP: the server denied it, or the HTTP API is not there)."""

    class ConnectTimeout(GuildhallError):  # type: ignore[no-redef]
        """No connection within the connect timeout."""

    class ConnectionLost(GuildhallError):  # type: ignore[no-redef]
        """The connection dropped without a close from the server (UDP: nothing heard for the timeout)."""

    class ServerClosed(GuildhallError):  # type: ignore[no-redef]
        """The server closed the connection with a close code (docs/protocol.md "Close codes") and a reason."""

        def __init__(self, code: int, reason: str = "") -> None:
            super().__init__(f"server closed the connection: {code} {reason}".rstrip())
            self.code = code
            self.reason = reason

        @property
        def retryable(self) -> bool:
            return self.code in (4001, 4006) or 3000 <= self.code < 4000

    class ProtocolError(GuildhallError):  # type: ignore[no-redef]
        """The peer sent what the protocol does not allow."""

    class AuthFailed(GuildhallError):  # type: ignore[no-redef]
        """The access token was refused (guildhall.errors' is a ServerError with the same constructor)."""

        def __init__(self, code: str | int, message: str, request: str = "", retry_after_ms: int = 0) -> None:
            super().__init__(f"{request + ': ' if request else ''}{code}: {message}")
            self.code = code
            self.message = message
            self.request = request
            self.retry_after_ms = retry_after_ms

__all__ = ["AuthFailed", "ConnectionLost", "ConnectionRefused", "ConnectTimeout", "GuildhallError", "ProtocolError",
           "ServerClosed"]
