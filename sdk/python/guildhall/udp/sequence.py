"""16-bit wrapping sequence numbers and the ring buffer indexed by them (src/wire/udp/sequence_buffer.hpp).

`a` is newer than `b` when a - b mod 2^16 is 1..32767 (32768 counts as newer too, as in reliable.io). Not
thread-safe; one per endpoint.
"""
from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


def greater_than(a: int, b: int) -> bool:
    return (a > b and a - b <= 32768) or (a < b and b - a > 32768)


def less_than(a: int, b: int) -> bool:
    return greater_than(b, a)


def distance(a: int, b: int) -> int:
    """How far `a` is ahead of `b`, 0..65535."""
    return (a - b) & 0xFFFF


class SequenceBuffer(Generic[T]):
    """The last `size` sequences; newer inserts evict older ones, older than the window are refused."""

    def __init__(self, size: int) -> None:
        if not 1 <= size <= 32768:
            raise ValueError("sequence buffer size must be in 1..32768")
        self.size = size
        self._entries: list[T | None] = [None] * size
        self._tags: list[int] = [-1] * size
        self._next = 0
        self._started = False

    def too_old(self, sequence: int) -> bool:
        return self._started and less_than(sequence, (self._next - self.size) & 0xFFFF)

    def exists(self, sequence: int) -> bool:
        return self._tags[sequence % self.size] == sequence and not self.too_old(sequence)

    def ack_bits(self, newest: int, count: int = 32) -> int:
        """Bit i set when newest - 1 - i is held: a packet header's ack field, built on every write attempt (the
        transport's 10 ms beat), so exists() is inlined here rather than called 32 times."""
        tags, size = self._tags, self.size
        oldest = (self._next - size) & 0xFFFF
        started = self._started
        bits = 0
        for i in range(count):
            sequence = (newest - 1 - i) & 0xFFFF
            # held, and not older than the window: too_old() is less_than(sequence, oldest)
            if tags[sequence % size] == sequence and not (started and 0 < (oldest - sequence) & 0xFFFF <= 32768):
                bits |= 1 << i
        return bits

    def find(self, sequence: int) -> T | None:
        return self._entries[sequence % self.size] if self.exists(sequence) else None

    def insert(self, sequence: int, value: T) -> bool:
        """Stores `value` for `sequence`; False when it is older than the window."""
        if self.too_old(sequence):
            return False
        if not self._started or greater_than((sequence + 1) & 0xFFFF, self._next):
            count = distance(sequence, self._next)
            if count >= self.size:
                self._tags = [-1] * self.size
            else:
                for i in range(count):
                    self._tags[((self._next + i) & 0xFFFF) % self.size] = -1
            self._next = (sequence + 1) & 0xFFFF
            self._started = True
        index = sequence % self.size
        self._tags[index] = sequence
        self._entries[index] = value
        return True
