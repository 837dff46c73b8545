"""The message layer (guildhall.udp.messages) between two Python endpoints over a seeded simulated network that
delays, reorders, drops and duplicates packets: reliable messages arrive exactly once and in order (fragmented ones
whole), unreliable ones newest-only, and hostile packets are refused whole without disturbing the endpoint."""
from __future__ import annotations

import heapq
import random
import sys
from pathlib import Path

SDK = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(SDK))

from guildhall.udp.message_packet import RELIABLE, UNRELIABLE  # noqa: E402
from guildhall.udp.messages import MessageEndpoint  # noqa: E402


class Link:
    """One direction: each packet is delayed 10..60 ms (so reordered), lost with `loss`, duplicated with 5%."""

    def __init__(self, rng: random.Random, loss: float) -> None:
        self.rng = rng
        self.loss = loss
        self.sequence = 0
        self.in_flight: list[tuple[int, int, int, bytes]] = []
        self.order = 0

    def send(self, now: int, packets: list[bytes]) -> None:
        for packet in packets:
            sequence = self.sequence
            self.sequence += 1
            copies = 0 if self.rng.random() < self.loss else 1 + (self.rng.random() < 0.05)
            for _ in range(copies):
                self.order += 1
                heapq.heappush(self.in_flight, (now + self.rng.randrange(10, 60), self.order, sequence, packet))
        self.sequence += self.rng.random() < 0.1  # the transport's keep-alives leave gaps between writes

    def due(self, now: int) -> list[tuple[int, bytes]]:
        out = []
        while self.in_flight and self.in_flight[0][0] <= now:
            _, _, sequence, packet = heapq.heappop(self.in_flight)
            out.append((sequence, packet))
        return out


def run(loss: float, seed: int) -> None:
    rng = random.Random(seed)
    a, b = MessageEndpoint(), MessageEndpoint()
    to_b, to_a = Link(rng, loss), Link(rng, loss)
    sent: list[bytes] = []
    got: list[bytes] = []
    snapshots: list[int] = []
    for now in range(0, 12000, 5):
        if now < 6000 and now % 40 == 0:
            size = rng.choice([1, 30, 200, 1024, 1025, 5000])
            message = len(sent).to_bytes(4, "little") + bytes(rng.randrange(256) for _ in range(size))
            assert a.send(RELIABLE, message) == "queued"
            sent.append(message)
        if now % 50 == 0:
            b.send_latest((now // 50).to_bytes(4, "little") + bytes(rng.randrange(1, 1800)), 1)
        for sequence, packet in to_b.due(now):
            assert b.receive_packet(packet, now, sequence) is None
        for sequence, packet in to_a.due(now):
            assert a.receive_packet(packet, now, sequence) is None
        got += [m for channel, m in b.drain() if channel == RELIABLE]
        snapshots += [int.from_bytes(m[:4], "little") for channel, m in a.drain() if channel == UNRELIABLE]
        to_b.send(now, a.write_packets(now, lambda: to_b.sequence))
        to_a.send(now, b.write_packets(now, lambda: to_a.sequence))
    assert got == sent, "every reliable message exactly once, in order, whole"
    assert snapshots == sorted(set(snapshots)), "unreliable messages newest-only"
    assert len(snapshots) > 240 * (1 - loss) * 0.5
    stats = a.snapshot_stats()
    assert stats.reliable_in_flight == 0
    if loss:
        assert stats.packets_lost > 0 and 0 < stats.packet_loss < 1
    assert 10 <= stats.rtt_ms < 200


def test_a_clean_link_delivers_everything() -> None:
    run(0.0, 1)


def test_a_lossy_reordering_duplicating_link_still_delivers_in_order() -> None:
    run(0.2, 2)


def test_hostile_packets_are_refused_whole_and_change_nothing() -> None:
    a, b = MessageEndpoint(), MessageEndpoint()
    rng = random.Random(7)
    refused = 0
    for i in range(4000):
        packet = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 60)))
        refused += b.receive_packet(packet, i, i) is not None
    assert refused > 1000 and b.snapshot_stats().drops["malformed_packet"] == refused
    b.drain()
    a.send(RELIABLE, b"after the noise")
    for packet in a.write_packets(5000, lambda: 9000):
        b.receive_packet(packet, 5001, 9000)
    assert b.drain() == [(RELIABLE, b"after the noise")]


def test_over_limits_are_refused_on_send() -> None:
    a = MessageEndpoint()
    assert a.send(RELIABLE, bytes(255 * 1024 + 1)) == "too_large"
    results = [a.send(RELIABLE, b"x") for _ in range(1025)]
    assert results[-1] == "over_limit" and results.count("queued") == 1024
