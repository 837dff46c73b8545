"""guildhall.udp.sequence: the ring buffer's ack_bits (a packet header's ack field, built with exists() inlined)
gives what 32 calls of exists() give, across wrap-around, gaps, late and refused inserts and every buffer size."""
from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from guildhall.udp.sequence import SequenceBuffer  # noqa: E402


def reference_ack_bits(buffer: SequenceBuffer[int], newest: int) -> int:
    return sum(1 << i for i in range(32) if buffer.exists((newest - 1 - i) & 0xFFFF))


def test_ack_bits_matches_exists_for_every_sequence_pattern() -> None:
    rng = random.Random(11)
    checked_nonzero = 0
    for size in (1, 7, 33, 256, 1024):
        buffer: SequenceBuffer[int] = SequenceBuffer(size)
        assert buffer.ack_bits(0) == 0  # nothing received yet
        sequence = rng.randrange(65536)
        for step in range(4000):
            sequence = (sequence + rng.choice((1, 1, 1, 2, 5, -3, 40, 40000))) & 0xFFFF
            if rng.random() < 0.8:
                buffer.insert(sequence, step)
            newest = (sequence + rng.randrange(-50, 50)) & 0xFFFF
            expected = reference_ack_bits(buffer, newest)
            assert buffer.ack_bits(newest) == expected, (size, step, newest)
            checked_nonzero += expected != 0
    assert checked_nonzero > 1000  # the patterns did hold acks to compare, not only empty fields
