"""Replay protection for encrypted packets (src/wire/udp/replay_window.cpp, netcode STANDARD.md).

A recorded packet sent again still authenticates, so the receiver remembers the sequences it has seen in
REPLAY_WINDOW slots. Call `already_received` before decrypting and `advance` only after the packet authenticated,
so a forged sequence cannot move the window. Not thread-safe: one per connection.
"""
from __future__ import annotations

from .limits import REPLAY_WINDOW

_EMPTY = (1 << 64) - 1  # no real sender reaches 2^64 - 1 packets


class ReplayWindow:
    """Sequences seen recently; refuses repeats and anything older than the newest minus REPLAY_WINDOW."""

    __slots__ = ("most_recent", "_received")

    def __init__(self) -> None:
        self.most_recent = 0
        self._received = [_EMPTY] * REPLAY_WINDOW

    def reset(self) -> None:
        self.most_recent = 0
        self._received = [_EMPTY] * REPLAY_WINDOW

    def already_received(self, sequence: int) -> bool:
        if sequence == _EMPTY:
            return True
        if self.most_recent >= REPLAY_WINDOW and sequence <= self.most_recent - REPLAY_WINDOW:
            return True
        seen = self._received[sequence % REPLAY_WINDOW]
        return seen != _EMPTY and seen >= sequence

    def advance(self, sequence: int) -> None:
        if sequence > self.most_recent:
            self.most_recent = sequence
        self._received[sequence % REPLAY_WINDOW] = sequence
