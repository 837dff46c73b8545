"""Every failure the SDK raises or reports. One base class, `GuildhallError`, so `except GuildhallError` catches
everything the network and the server can do; the subclasses say what happened precisely.

Close codes come in ranges shared with every SDK (docs/protocol.md, "Close codes"): 1xxx normal, 2xxx application
(kicked), 3xxx server (shutting down, full: come back later), 4xxx client (fix the client; 4001 idle and 4006 slow
reader excepted). `ServerClosed.retryable` follows the C++ SDK's reconnect policy.
"""

from __future__ import annotations

# RFC 6455 codes a server uses for "going away, come back": going away, abnormal, internal error, restart, try later.
_RETRYABLE_WEBSOCKET_CODES = frozenset({1001, 1006, 1011, 1012, 1013})
_IDLE_TIMEOUT = 4001
_SLOW_READER = 4006


class GuildhallError(Exception):
    """Base of every error of this SDK."""


class ConnectionRefused(GuildhallError):
    """Nothing listens at the address (wrong port, server down). Raised by the first connect and by logins."""


class UdpNotServed(ConnectionRefused):
    """The server has UDP off: its connect-token endpoint answered 404. A udp:// client with
    ClientOptions.udp_fallback then uses WebSocket instead."""


class TimedOut(GuildhallError):
    """Something took longer than its configured timeout."""


class ConnectTimeout(TimedOut):
    """Connecting (TCP, TLS, the WebSocket upgrade and Authenticate together) took longer than
    ClientOptions.connect_timeout_s, or an HTTP login longer than login_timeout_s."""


class RequestTimeout(TimedOut):
    """A request's answer did not come within ClientOptions.request_timeout_s. The connection stays up."""


class ConnectionLost(GuildhallError):
    """The connection dropped without a close code (reset, end of stream, silence past dead_after_s)."""


class ServerClosed(GuildhallError):
    """The server closed the connection with `code` and `reason` (its Closing message or WebSocket close frame)."""

    def __init__(self, code: int, reason: str = "") -> None:
        super().__init__(f"server closed the connection: {code} {reason}".rstrip())
        self.code = code
        self.reason = reason

    @property
    def category(self) -> str:
        """'normal' (1xxx), 'application' (2xxx), 'server' (3xxx), 'client' (4xxx) or 'unknown'."""
        return {1: "normal", 2: "application", 3: "server", 4: "client"}.get(self.code // 1000, "unknown")

    @property
    def retryable(self) -> bool:
        """Worth reconnecting: the server is going away or full (3xxx), idle or slow-reader closes (4001, 4006), and
        the RFC 6455 codes for "going away". Not: normal close, kicked (2xxx), protocol violations (4002-4005)."""
        if 3000 <= self.code < 4000:
            return True
        return self.code in (_IDLE_TIMEOUT, _SLOW_READER) or self.code in _RETRYABLE_WEBSOCKET_CODES


class NotConnected(GuildhallError):
    """The call needs a connection and there is none (not yet connected, reconnecting, or closed)."""


class ServerError(GuildhallError):
    """The server answered a request with an Error; the connection stays up.

    `code` is the protocol's ErrorCode name ("RATE_LIMITED", "ILLEGAL_MOVE") or, for an unknown value, its number;
    `message` is for people; `request` names the request ("SendMessage"); `retry_after_ms` is set for RATE_LIMITED
    and UNAVAILABLE when the server said when to try again (0: not said).
    """

    def __init__(self, code: str | int, message: str, request: str = "", retry_after_ms: int = 0) -> None:
        super().__init__(f"{request + ': ' if request else ''}{code}: {message}")
        self.code = code
        self.message = message
        self.request = request
        self.retry_after_ms = retry_after_ms

    @property
    def transient(self) -> bool:
        """Worth retrying the same request later (the server was busy), as opposed to fixing it."""
        return self.code in ("RATE_LIMITED", "UNAVAILABLE", "INTERNAL")


class AuthFailed(ServerError):
    """Wrong username or password, an unknown or spent refresh token, a token the server refuses: log in again."""


class ProtocolError(GuildhallError):
    """The peer broke the protocol: bytes that are not an Envelope, a bad WebSocket frame, a frame over the cap."""


def worth_reconnecting(error: BaseException) -> bool:
    """The reconnect policy: losses and timeouts yes; retryable closes yes; anything else (auth, protocol) no."""
    if isinstance(error, ServerClosed):
        return error.retryable
    return isinstance(error, (ConnectionLost, ConnectionRefused, TimedOut))
