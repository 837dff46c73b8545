"""The link as one endpoint sees it: smoothed RTT, loss, and the congestion-controlled send budget (a token
bucket, AIMD), as src/wire/udp/link_estimator.cpp. Time is milliseconds passed in by the caller. Not thread-safe.
"""
from __future__ import annotations

from dataclasses import dataclass

_RTT_GAIN = 0.125  # RFC 6298's alpha
_LOSS_GAIN = 0.01
_MIN_INTERVAL_MS = 100
_MIN_LOSS_SAMPLES = 16


@dataclass(frozen=True, slots=True)
class LinkConfig:
    """Timing and rate settings of the message layer (the C++ endpoint_config's, same defaults)."""

    max_packet_bytes: int = 1175
    resend_rtt_factor: float = 1.25
    min_resend_ms: int = 50
    max_resend_ms: int = 1000
    initial_rtt_ms: int = 100
    ack_interval_ms: int = 33
    min_send_rate_bytes_per_second: int = 32 * 1024
    max_send_rate_bytes_per_second: int = 1024 * 1024
    initial_send_rate_bytes_per_second: int = 256 * 1024
    increase_bytes_per_second: int = 16 * 1024
    backoff_factor: float = 0.7
    loss_threshold: float = 0.1
    rtt_inflation_factor: float = 2.5
    burst_ms: int = 50
    unreliable_debt_ms: int = 500


class LinkEstimator:
    """RTT (ms), packet loss (0..1) and the send budget (bytes that may go now)."""

    def __init__(self, config: LinkConfig) -> None:
        self.config = config
        self.rtt_ms = float(config.initial_rtt_ms)
        self.min_rtt_ms = 0.0
        self.have_rtt = False
        self.loss = 0.0
        self.rate = float(config.initial_send_rate_bytes_per_second)
        self.budget = 2.0 * config.max_packet_bytes
        self._last_update_ms = 0
        self._started = False
        self._interval_start_ms = 0
        self._interval_lost = 0
        self._interval_decided = 0
        self._budget_limited = False

    def on_rtt_sample(self, rtt_ms: float) -> None:
        rtt_ms = max(rtt_ms, 0.0)
        if not self.have_rtt:
            self.rtt_ms = self.min_rtt_ms = rtt_ms
            self.have_rtt = True
            return
        self.rtt_ms += _RTT_GAIN * (rtt_ms - self.rtt_ms)
        self.min_rtt_ms = min(self.min_rtt_ms, rtt_ms)

    def on_packet_decided(self, lost: bool) -> None:
        self.loss += _LOSS_GAIN * ((1.0 if lost else 0.0) - self.loss)
        self._interval_decided += 1
        if lost:
            self._interval_lost += 1

    def update(self, now_ms: int) -> None:
        """Earns the budget since the last call (capped at a burst) and closes a congestion interval when due."""
        if not self._started:
            self._started = True
            self._last_update_ms = self._interval_start_ms = now_ms
            return
        c = self.config
        if now_ms > self._last_update_ms:
            self.budget += self.rate * (now_ms - self._last_update_ms) / 1000.0
            burst = max(2.0 * c.max_packet_bytes, self.rate * c.burst_ms / 1000.0)
            self.budget = min(self.budget, burst)
            self._last_update_ms = now_ms
        if now_ms - self._interval_start_ms >= max(_MIN_INTERVAL_MS, int(self.rtt_ms)):
            self._end_interval()
            self._interval_start_ms = now_ms

    def _end_interval(self) -> None:
        c = self.config
        lossy = (self._interval_decided >= _MIN_LOSS_SAMPLES
                 and self._interval_lost > c.loss_threshold * self._interval_decided)
        inflated = self.have_rtt and self.rtt_ms > c.rtt_inflation_factor * max(self.min_rtt_ms, 1.0) + 10.0
        if lossy or inflated:
            self.rate = max(float(c.min_send_rate_bytes_per_second), self.rate * c.backoff_factor)
        elif self._budget_limited:
            self.rate = min(float(c.max_send_rate_bytes_per_second), self.rate + c.increase_bytes_per_second)
        self._interval_lost = self._interval_decided = 0
        self._budget_limited = False

    def may_overdraw(self, size: int) -> bool:
        """True when unreliable data of `size` bytes may go (it may overdraw up to unreliable_debt_ms)."""
        return self.budget - size >= -(self.rate * self.config.unreliable_debt_ms / 1000.0)

    def spend(self, size: int) -> None:
        self.budget -= size

    def note_budget_limited(self) -> None:
        self._budget_limited = True

    def loss_timeout_ms(self) -> int:
        """Unacked this long, a packet counts as lost: two RTTs plus the peer's ack delay."""
        return int(2.0 * self.rtt_ms) + self.config.ack_interval_ms + 20

    def resend_delay_ms(self) -> int:
        c = self.config
        return min(max(int(c.resend_rtt_factor * self.rtt_ms), c.min_resend_ms), c.max_resend_ms)
