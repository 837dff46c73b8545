"""How a client connects, waits and comes back: plain values with defaults that suit a game on the Internet
(the same as the C++ SDK's client_options and the web client). `validate()` says what is wrong before anything runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ReconnectOptions:
    """Automatic reconnection after a connection that was up is lost (the first connect is never retried)."""

    enabled: bool = True                  # False: a loss ends in a GaveUp event at once
    initial_delay_s: float = 2.0          # first retry after about this long...
    max_delay_s: float = 30.0             # ...doubling per failed attempt up to this
    jitter: float = 0.2                   # each delay drawn within +-20%, so a restarted server's players spread out
    max_attempts: int | None = 14         # about five minutes with the delays above; None: forever
    rejoin: bool = True                   # rejoin channels, the room and open matches once back

    def delay_s(self, attempt: int, unit_random: float) -> float:
        """The wait before attempt `attempt` (1 for the first retry); `unit_random` is uniform in [0, 1]."""
        doublings = min(max(attempt - 1, 0), 20)
        base = min(self.initial_delay_s * (2.0 ** doublings), self.max_delay_s)
        spread = min(max(self.jitter, 0.0), 1.0)
        return base * (1.0 - spread + 2.0 * spread * min(max(unit_random, 0.0), 1.0))


@dataclass
class TlsOptions:
    """wss:// and tls:// (and https for the logins they imply)."""

    verify: bool = True                   # False only for a development server; never in a release
    ca_file: str | None = None            # a PEM file to trust (a self-signed development certificate)


@dataclass
class ClientOptions:
    """Timeouts in seconds; each names what it bounds."""

    connect_timeout_s: float = 10.0       # TCP connect + TLS + WebSocket upgrade + Authenticate, together; UDP:
                                          # connect token + handshake + Authenticated
    login_timeout_s: float = 10.0         # each HTTP login call, all steps together
    request_timeout_s: float = 10.0       # each request's answer; past it the call raises RequestTimeout
    ping_interval_s: float = 20.0         # keep-alive when idle; must stay under the server's 60 s idle limit
    dead_after_s: float = 45.0            # silence that means the connection is dead (> ping_interval_s)
    max_frame_bytes: int = 1 << 20        # largest frame accepted from the server; the server's own cap is 64 KiB
    max_queued_events: int = 10_000       # events waiting to be read; past it the oldest are dropped and counted
    # udp:// only, as the C++ SDK's `automatic` (its default): WebSocket on the HTTP port instead, for the rest of
    # the client's life, when the server serves no UDP or the first UDP connection fails (no answer within
    # connect_timeout_s: a firewall; denied: a full server). False: such a connect raises, a reconnection retries.
    udp_fallback: bool = True
    reconnect: ReconnectOptions = field(default_factory=ReconnectOptions)
    tls: TlsOptions = field(default_factory=TlsOptions)

    def validate(self) -> None:
        """Raises ValueError naming the first field that is wrong."""
        for name in ("connect_timeout_s", "login_timeout_s", "request_timeout_s", "ping_interval_s", "dead_after_s"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be over 0 s")
        if self.dead_after_s <= self.ping_interval_s:
            raise ValueError("dead_after_s must exceed ping_interval_s, or the pings' answers could not arrive in time")
        if self.max_frame_bytes < 1024:
            raise ValueError("max_frame_bytes must be at least 1024")
        if self.max_queued_events < 1:
            raise ValueError("max_queued_events must be at least 1")
        r = self.reconnect
        if r.initial_delay_s < 0 or r.max_delay_s < r.initial_delay_s:
            raise ValueError("reconnect delays must satisfy 0 <= initial_delay_s <= max_delay_s")
        if not 0 <= r.jitter <= 1:
            raise ValueError("reconnect.jitter must be within 0..1")
        if r.max_attempts is not None and r.max_attempts < 0:
            raise ValueError("reconnect.max_attempts must be >= 0, or None for forever")
        if self.tls.ca_file is not None and not self.tls.ca_file:
            raise ValueError("tls.ca_file must be a path or None")
